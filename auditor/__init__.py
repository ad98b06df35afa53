"""auditor: audit 法治政府建设年度报告 (and other mandated reports) against declarative checklists."""

__version__ = "0.1.0"

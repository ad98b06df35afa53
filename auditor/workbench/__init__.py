"""The workbench: ``auditor serve``, a local web app where supervisors audit a season's reports
and keep their review decisions (issue 15). See docs/workbench.md.

Modules, one concept each: ``settings`` (what the command line chose), ``db`` (tables, engine,
migrations), ``blobs`` (uploaded bytes by content hash), ``store`` (the operations), ``jobs``
(background auditing), ``security`` (middleware), ``api`` (the JSON API), ``app`` (wiring),
``pages`` (the Chinese HTML pages, when present)."""

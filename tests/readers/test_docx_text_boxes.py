"""Word text boxes: a 红头 and the title laid out in a text box, as many offices head a 公文.
Word writes each box twice (DrawingML, and a VML fallback for old readers); before, both were
skipped and the title was lost. The box is read once, where it is anchored."""

from __future__ import annotations

from pathlib import Path

from auditor.document import understand
from auditor.readers.dispatch import read_document
from tests.readers.builders import paragraphs, seed_paths, seed_text

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
BOX = (
    '<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
    '<wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData '
    'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
    "<wps:txbx><w:txbxContent>{paras}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>"
    "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{paras}"
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def test_a_title_in_a_text_box_is_read_once_where_it_stands(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    text = seed_text(seed_paths()[1])
    title = understand(text).metadata.title
    assert title
    body = [p for p in paragraphs(text) if p.strip() != title]
    document = docx.Document()
    head = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in ("民权县双塔镇人民政府", title))
    document.add_paragraph()._p.append(parse_xml(BOX.format(ns=NS, paras=head)))
    for line in body:
        document.add_paragraph(line)
    path = tmp_path / "boxed.docx"
    document.save(str(path))
    read = read_document(str(path)).text
    assert read.count(title) == 1 and read.index(title) < read.index(body[0][:10])
    assert understand(read).metadata.title == title

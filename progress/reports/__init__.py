"""The periodic report of a unit: one content (``content.report_content``) for the PDF and the .docx."""

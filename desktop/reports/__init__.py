"""Reports: minutes, conclusion notices, campaign report (PDF/DOCX) and Excel compilations."""

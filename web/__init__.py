"""`assess serve`: the assessment round on a web page (Django). The top layer: it may import every pipeline
layer, and nothing but cli/serve.py imports it (import-linter). The CLI and the web are two thin faces over the
same pipeline functions; nothing here scores. See web/README.md for the URL map and the element ids."""

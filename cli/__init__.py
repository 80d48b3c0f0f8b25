"""The commands of `assess`, one module per group; assess.py is the click group that registers them.

The top layer, above web: a command parses its arguments, calls the pipeline and prints or writes what it returns;
nothing here scores. What only one command needs (Django, the Word and workbook writers, the self-check) is
imported inside that command, so that every other command starts without loading it.
"""

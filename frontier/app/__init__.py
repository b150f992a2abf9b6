"""``frontier app``: a local web page over the same analyses as the command line, for those who do not program.

The page is a Streamlit script (:mod:`frontier.app.page`). Everything it offers is derived, not written out:

* :mod:`frontier.app.form` builds each analysis's form from the command line's declarations
  (:mod:`frontier.cli.commands`, the parser built from :data:`frontier.options.PARAMETERS` and the model
  registry), turns the form into the command line's own arguments, and reads and writes the settings file (JSON,
  the command line's arguments; parsed, never executed);
* :mod:`frontier.app.runs` runs an analysis in a separate process per run, with progress and cancel, so that a
  long run does not freeze the page and every browser tab (a Streamlit session) has its own runs;
* :mod:`frontier.app.report` turns a result into the page's downloads (the result's own exports and figures),
  the methods paragraph (English and Chinese) and the code that reproduces it;
* :mod:`frontier.app.texts` holds the page's own words in English and Simplified Chinese.

The command line starts the page (``frontier app``, :mod:`frontier.cli`) as a Streamlit process on the loopback;
see docs/app.md.
"""
from __future__ import annotations

#: the page's script, run by ``streamlit run``
PAGE_MODULE = "frontier.app.page"

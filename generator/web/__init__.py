"""The web workbench (``genreport serve``): counties and cities work in a browser.

A layer above the pipeline and the authoring commands, below the CLI: it calls the
same functions as the command line (only through :mod:`generator.web.adapter`), so no
check, computation or rendering is written twice. Importing this package loads
nothing; the web libraries are imported by the modules that need them.

Modules, from the bottom up:

- ``datadir``    where the data lives (no heavy imports; the CLI reads defaults here)
- ``models``     SQLAlchemy tables; ``migrations/`` Alembic revisions (one per change,
                 applied at every start by ``db.migrate``); ``db`` engine and migration
- ``store``      content-addressed file store (SHA-256 names, atomic, never rewritten)
- ``security``   argon2 passwords, signed tokens, the sign-in delay
- ``audit``      the audit log; ``accounts`` users, units, sessions; ``access`` who may
                 read or change which unit (every route asks here)
- ``workbench``  one open data directory; start-up recovery after a crash
- ``adapter``    the only caller of generator.pipeline and generator.authoring
- ``findings``   Problems as table rows (sheet, row, column, field, message, fix);
                 ``imported`` what an import of last year's report found
- ``versions``   upload → checked, generated, stored version; restore; zip
- ``pages``      Jinja page rendering (templates in ``html/``, CSS in ``static/``)
- ``responses``  every exception → one Chinese page (the only error mapping)
- ``context``    request helpers: signed-in account, CSRF-checked forms, downloads
- ``views_*``    the routes' handlers; ``app`` the route table and middleware;
                 ``server`` runs uvicorn

To add a page: a handler in a ``views_*`` module, its route in ``app.ROUTES`` and a row
in tests/web/test_authorization.py (a test fails until there is one). To add a way to
get a report (a preview, a PDF), add a function to ``adapter`` and a link to the
``report_links`` macro in ``html/_macros.html``. To change the schema, add the next
revision under ``migrations/versions/`` and update ``models``.
"""

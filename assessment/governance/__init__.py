"""The assessments around the annual one, run by the lead department in the browser: the veto
list and the vetoes recorded against it, special assessments (their points become the
cycle's adjustments), and the routine assessment archive. Services (``vetoes``,
``special``, ``routine``: plain functions that check, save and audit in one transaction),
forms, views and URLs (namespace ``assessment``)."""

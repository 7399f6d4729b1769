"""Background file jobs: an import or export too large for a request (gunicorn stops one
after 30 s) runs as a Celery task while its page shows the progress, then the outcome.

It holds the job model (``models.py``), the kinds of job that the apps owning the files
register (``kinds.py``), the start, claim, run and clean-up of a job (``services.py``), and
the job pages with ``export_by_job``, the answer of every download whose file may be large
(``views.py``). It calls only the frame (``assessment``); the apps above register their kinds
and call it downward.
"""

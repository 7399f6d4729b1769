"""The invented demo city 江川市 (``manage.py seed_demo``), on top of every layer.

It drives every app through its services (down to closing rounds and publishing results), so
it sits above ``reports``; no other app imports it. Data in ``data/city.toml``; the steps in
``plan`` (the data read, the story's knobs), ``figures`` (the invented numbers, pure),
``accounts``, ``year`` (one year's frame and inputs), ``closing`` (what became of a year),
``followup`` (the April round's rectifications and diagnosis case), ``governance`` (the veto
list, special and routine assessments, the plan, proposals, next year's draft) and ``build``.
"""

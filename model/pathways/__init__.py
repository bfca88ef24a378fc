"""The pathways, in the order the model steps them each month (see :class:`model.model.IntegrationModel`).

To add a pathway: write a module with ``PARAMS`` and a :class:`~model.pathways.base.Pathway`
subclass, and put it in :data:`PATHWAYS` at the point in the month where it acts.
"""

from model.pathways import belonging, education, health, housing, income, intake, language, permits, work

#: (module, class) in step order; the module holds the PARAMS of ``params.<class.name>``
PATHWAYS = (
    (housing, housing.Housing),
    (health, health.Health),
    (intake, intake.Intake),
    (language, language.Language),
    (education, education.Schooling),
    (work, work.Work),
    (income, income.Income),
    (permits, permits.Permits),
    (belonging, belonging.Belonging),
)

"""Every state change of an application, by stage (ARCHITECTURE.md: one public name per service).

Applicant side in ``submission``, department side in ``handling``; the status moves only through
``transitions.transition``; deadlines are computed by ``clocks``.
"""

from __future__ import annotations

from .assignment import claim, hand_over, reassign, release  # noqa: F401 (issue 8: who holds it)
from .channels import *  # noqa: F403 (issue 8: pre-review, window intake, instant items, agents)
from .handling import (
    accept,
    complete_stage,
    conclude,
    decide,
    deem_accepted,
    extend,
    issue_result,
    material_for_viewing,
    not_accept,
    request_correction,
    resume,
    suspend,
    terminate,
)
from .submission import (
    add_material,
    completeness_errors,
    remove_material,
    respond_to_correction,
    save_draft,
    start_draft,
    submit,
    withdraw,
)

__all__ = [
    "accept",
    "add_material",
    "complete_stage",
    "completeness_errors",
    "conclude",
    "decide",
    "deem_accepted",
    "extend",
    "issue_result",
    "material_for_viewing",
    "not_accept",
    "remove_material",
    "request_correction",
    "respond_to_correction",
    "resume",
    "save_draft",
    "start_draft",
    "submit",
    "suspend",
    "terminate",
    "withdraw",
]

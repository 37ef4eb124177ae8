"""The one guard of the services' writes, accounts.access.require, and that the services use it."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from accounts.access import Action, require

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SCOPE_QUESTIONS = {"can", "can_anywhere", "scope_for"}


def test_require_checks_every_unit_or_one_of_them(tree, personas):
    t = tree
    require(personas.staff_a, Action.MANAGE, t.province_a, t.commune_a)
    with pytest.raises(PermissionDenied, match="Bạn không có quyền thực hiện việc này cho đơn vị đó"):
        require(personas.staff_a, Action.MANAGE, t.province_a, t.province_b)
    require(personas.staff_a, Action.MANAGE, t.province_b, t.province_a, any_of=True)
    with pytest.raises(PermissionDenied, match="not yours"):
        require(personas.staff_a, Action.MANAGE, t.province_b, any_of=True, message="not yours")
    with pytest.raises(PermissionDenied):
        require(personas.staff_a, Action.MANAGE, any_of=True)  # one of no units: none


def test_require_without_units_asks_for_the_action_anywhere(personas):
    require(personas.staff_a, Action.MANAGE)
    with pytest.raises(PermissionDenied):
        require(personas.leader_a, Action.MANAGE)
    with pytest.raises(PermissionDenied):
        require(personas.outsider, Action.VIEW)


def test_the_system_acts_unchecked(tree):
    require(None, Action.MANAGE, tree.province_a)  # a Celery job, a command, the demo seeding


def _scope_guards_written_by_hand(path: Path):
    """``if <asks can/can_anywhere/scope_for>: raise PermissionDenied``: what require does."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if not isinstance(node, ast.If):
            continue
        asks = {
            call.func.id
            for call in ast.walk(node.test)
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
        }
        raises = any(
            isinstance(inner, ast.Raise) and "PermissionDenied" in ast.unparse(inner)
            for statement in node.body
            for inner in ast.walk(statement)
        )
        if asks & SCOPE_QUESTIONS and raises:
            yield f"{path.relative_to(ROOT)}:{node.lineno}"


def test_every_service_guards_its_writes_with_require():
    services = sorted(ROOT.glob("*/services.py")) + sorted(ROOT.glob("*/services/*.py"))
    assert len(services) > 5, "the scan finds the services"
    assert [where for path in services for where in _scope_guards_written_by_hand(path)] == []

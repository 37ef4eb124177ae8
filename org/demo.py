from org.services import org_units_load_real_tree


def seed(*, password: str) -> str:
    result = org_units_load_real_tree()
    return f"{result.total} org units ({result.created} new)"

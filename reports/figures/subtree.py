"""How the figures pick the rows of a subtree: by the ids of its orgs, or by a join on their path."""

from branches.models import Organization

# Up to this many orgs, a subtree's rows are read by their org ids through the indexes that lead with
# the org; a bigger one (a province) is read whole, as a join on the org's path does. PostgreSQL joins
# on the path with a scan of every row whatever the subtree's size: 100 ms for a committee of 500 orgs
# over the pledges, 5 ms by the ids.
IDS_UP_TO = 2000


def org_filter(org, field: str = "org") -> dict:
    """The filter on ``field`` (a foreign key to Organization) that picks the subtree of ``org``."""
    ids = list(
        Organization.objects.filter(path__startswith=org.path).order_by().values_list("id", flat=True)[: IDS_UP_TO + 1]
    )
    return {f"{field}_id__in": ids} if len(ids) <= IDS_UP_TO else {f"{field}__path__startswith": org.path}

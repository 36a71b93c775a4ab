from imports.models import ImportBatch

from ._import_command import ImportCommand


class Command(ImportCommand):
    help = "Import a member roster (XLSX/XLS/CSV) into an organization's subtree; exit code 1 on any row error."
    kind = ImportBatch.Kind.ROSTER
    org_required = True

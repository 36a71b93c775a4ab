from imports.models import ImportBatch

from ._import_command import ImportCommand


class Command(ImportCommand):
    help = "Import organizations (XLSX/XLS/CSV), under --org or as new trees; exit code 1 on any row error."
    kind = ImportBatch.Kind.ORGS

from django.shortcuts import render


def start(request):
    return render(request, "imports/start.html", {"nav_active": "imports"})

"""`/api/v1/…`: the schema at `/api/v1/openapi.json`, its documentation at `/api/v1/docs`."""

from django.urls import path

from tillit.api.main import api

urlpatterns = [path("v1/", api.urls)]

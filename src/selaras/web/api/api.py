"""The public HTTP API (OpenAPI at /api/docs). Each area adds its router here."""

from django.http import HttpRequest
from ninja import NinjaAPI

from selaras.web.errors.api_handler import install as install_error_handler

api = NinjaAPI(title="Selaras API", version="1", description="API perencanaan pembangunan daerah")
install_error_handler(api)  # every SelarasError: {"code", "detail", "params"} with 400/403/404/409


@api.get("/health", summary="Status layanan")
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


api.add_router("/seleksi", "selaras.web.selection.api.router")
api.add_router("/publik", "selaras.web.public.api.router")

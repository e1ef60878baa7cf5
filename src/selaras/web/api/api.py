"""The public HTTP API (OpenAPI at /api/docs). Each area adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(title="Selaras API", version="1", description="API perencanaan pembangunan daerah")


@api.get("/health", summary="Status layanan")
def health(request):  # type: ignore[no-untyped-def]
    return {"status": "ok"}


api.add_router("/seleksi", "selaras.web.selection.api.router")
api.add_router("/publik", "selaras.web.public.api.router")

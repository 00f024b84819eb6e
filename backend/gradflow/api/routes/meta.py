"""GET /api/meta: what the page must know and must not copy (models/meta.py), cached by version."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

import gradflow
from gradflow.api.etag import config_etag, is_fresh
from gradflow.api.responses import StrictJSONResponse
from gradflow.models.meta import Meta, meta

router = APIRouter(tags=["meta"])

CACHE_CONTROL = "public, max-age=0, must-revalidate"


@router.get(
    "/meta",
    response_model=Meta,
    response_class=StrictJSONResponse,
    summary="Cells, tasks, sweep metrics and the charts' theme: the facts the page reads instead of copying",
)
async def get_meta(request: Request) -> Response:
    headers = {"ETag": config_etag("meta"), "Cache-Control": CACHE_CONTROL}
    if is_fresh(request, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return StrictJSONResponse(meta(gradflow.__version__).model_dump(), headers=headers)

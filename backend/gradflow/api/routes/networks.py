"""GET /api/networks/{file}: the trained example networks shipped with the app (gradflow/networks), as
.safetensors files the page uploads like any weights file; GET /api/meta lists them."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response

from gradflow.models.errors import Message
from gradflow.networks import catalogue, weights_file

router = APIRouter(tags=["networks"])


@router.get(
    "/networks/{file}",
    summary="One trained example network's weights (.safetensors)",
    responses={200: {"content": {"application/octet-stream": {}}}, 404: {"model": Message}},
)
async def network(file: str) -> Response:
    names = {e["file"]: e["name"] for e in catalogue()}
    if file not in names:
        raise HTTPException(404, f"No example network named {file!r}; GET /api/meta lists them under `examples`.")
    return Response(
        weights_file(names[file]),
        media_type="application/octet-stream",
        headers={"Cache-Control": "public, max-age=86400", "Content-Disposition": f'attachment; filename="{file}"'},
    )

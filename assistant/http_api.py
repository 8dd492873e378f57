"""The HTTP API for portals, served by the same process as the page (mounted at /api beside gradio):

    POST /api/ask       {"question": "...", "conversation": ["earlier question", ...]}  → the answer, as `reportqa
                        ask --json` prints it: {"status", "answer", "values", "citations"}
    GET  /api/reports   what the store holds: one object per report
    GET  /api/openapi.json, /api/docs   the OpenAPI description

Input limits: a question of at most MAX_QUESTION characters, at most MAX_TURNS earlier questions, a body of at most
MAX_BODY bytes; anything else is a 4xx with a JSON {"detail": ...}: 413 for a body too large, 400 or 422 for a body
that is no JSON (invalid UTF-8 too), 422 for JSON of the wrong shape (wrong types, missing or unknown fields, too
long), never a 500. A thin layer over `assistant.answer`, like the page and the CLI.
"""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from index.store import Store

MAX_QUESTION = 2000
MAX_TURNS = 20
MAX_BODY = 64 * 1024


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(min_length=1, max_length=MAX_QUESTION, description="the question, in any words")
    conversation: list[str] = Field(default=[], max_length=MAX_TURNS,
                                    description="earlier questions of the conversation, oldest first (follow-ups)")


class AskResponse(BaseModel):
    status: str = Field(description="answered / not_found / ambiguous / refused")
    answer: str
    values: list[dict] = Field(description="every figure the answer states, each with its cell or sentence")
    citations: list[dict] = Field(description="where each figure or passage comes from")


class Problem(BaseModel):
    detail: str


_REFUSED = {400: {"model": Problem, "description": "the body is no JSON"},
            413: {"model": Problem, "description": f"the body is larger than {MAX_BODY} bytes"}}


class ReportItem(BaseModel):
    id: int
    agency: str
    aliases: list[str]
    year: int | None
    template: str | None
    format: str
    source: str


def make_api(store: Store) -> FastAPI:
    api = FastAPI(title="reportqa API", version="1", openapi_url="/openapi.json", docs_url="/docs", redoc_url=None,
                  servers=[{"url": "/api"}],  # where the page's process serves it (mount_api)
                  description="Questions on government information-disclosure annual reports: exact figures with "
                              "their sources.")

    @api.middleware("http")
    async def limit_body(request: Request, call_next):
        declared = request.headers.get("content-length")
        too_large = declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY)
        # a chunked body has no length to declare: counted once read
        if too_large or len(await request.body()) > MAX_BODY:
            return JSONResponse({"detail": f"body larger than {MAX_BODY} bytes"}, status_code=413)
        return await call_next(request)

    @api.post("/ask", response_model=AskResponse, responses=_REFUSED, summary="Answer a question, with its sources")
    def ask(request: AskRequest) -> dict:
        from assistant.answer import answer_question

        conversation = [turn[:MAX_QUESTION] for turn in request.conversation]
        return answer_question(request.question, store, conversation or None).to_dict()

    @api.get("/reports", response_model=list[ReportItem], responses=_REFUSED, summary="The reports the store holds")
    def reports() -> list[dict]:
        return [dict(id=r.id, agency=r.agency, aliases=r.aliases, year=r.year, template=r.template, format=r.format,
                     source=r.source_name) for r in store.reports()]

    return api


def mount_api(app, store: Store) -> None:
    """Serve the API at /api on the page's own FastAPI app, ahead of gradio's routes."""
    from starlette.routing import Mount

    app.router.routes.insert(0, Mount("/api", app=make_api(store)))

"""A shorter run for an operation whose one input is a JSON body: the check-in write.

Every phone sends its morning through POST /api/v1/checkins, and ninja's general run
(`Operation.run`) spent ≈ 0.3 ms of that request outside the checks, the validation and
the view: an empty answer made up front in case the view wants to set headers, the body
wrapped in a model of its own before the schema validates it, the values gathered
parameter by parameter (bench/profile.py --inside). `body_run` keeps ninja's parts
where they decide something and only leaves out that bookkeeping:

- the same auth and CSRF checks (`Operation._run_checks`, ninja's own), before anything;
- the same body parser (`api.parser.parse_body`), and the schema ninja documents for the
  operation (read from the operation, so OpenAPI and this run cannot disagree);
- any body that does not read and validate cleanly is handed to ninja's own reading
  (`Operation._get_values`), so every 400 and 422 is ninja's, word for word; an empty
  body, path parameters or anything unusual go through ninja's whole run;
- the same exception handlers (`api.on_exception`), and answers that are not a response
  yet are made into one by ninja (`_result_to_response`).

The route, its name, its OpenAPI entry and its URL stay ninja's. Used as
`@decorate_view(body_run)` under the route's decorator; tests/api/test_body_run.py holds
its answers equal to ninja's own run for any body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja.errors import ConfigError
from ninja.operation import Operation
from ninja.params.models import BodyModel

from api.schemas import InSchema

Run = Callable[..., HttpResponseBase]


def body_run(run: Run) -> Run:
    """`run` is ninja's Operation.run, bound to the operation being built or cloned."""
    operation: Operation = getattr(run, "__self__", None)  # type: ignore[assignment]
    name, schema = body_schema(operation)

    def run_with_body(request: HttpRequest, **path: Any) -> HttpResponseBase:
        if path or not request.body:
            return run(request, **path)
        error = operation._run_checks(request)
        if error:
            return error
        api = operation.api
        try:
            try:
                values = {
                    name: schema.model_validate(
                        api.parser.parse_body(request), context={"request": request}
                    )
                }
            except Exception:
                # ninja reads it again and gives its own 400 or 422 (or, should it
                # accept what the schema alone refused, its values).
                values = operation._get_values(request, path, api.create_temporal_response(request))
            result = operation.view_func(request, **values)
            if isinstance(result, HttpResponseBase):
                return result
            return operation._result_to_response(
                request, result, api.create_temporal_response(request)
            )
        except Exception as exc:
            return api.on_exception(request, exc)

    run_with_body.__name__ = getattr(run, "__name__", "run")
    return run_with_body


def body_schema(operation: Operation | None) -> tuple[str, type[InSchema]]:
    """The body's parameter name and the schema ninja validates (and documents) it with."""
    if not isinstance(operation, Operation):
        raise ConfigError("body_run decorates ninja's Operation.run (use @decorate_view).")
    models = operation.models
    single = getattr(models[0], "__read_from_single_attr__", None) if len(models) == 1 else None
    if (
        not single
        or not issubclass(models[0], BodyModel)
        or operation.signature.response_arg
        or operation.stream_format
        or operation.is_async
    ):
        raise ConfigError(f"body_run: {operation.path} must take one JSON body and nothing else.")
    schema = models[0].model_fields[single].annotation
    if not (isinstance(schema, type) and issubclass(schema, InSchema)):
        raise ConfigError(f"body_run: {operation.path}'s body must be an InSchema.")
    return single, schema

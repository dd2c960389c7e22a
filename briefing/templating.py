"""The sandbox user templates run in, its limits, and its errors as one-line messages.

A briefing template is the user's file, so it runs in Jinja's
`ImmutableSandboxedEnvironment`: no attribute starting with `_` (so no
`''.__class__.__mro__`, no `os.system`), no method that changes a list or a dict. On top
of the sandbox, one render may take at most MAX_STEPS loop iterations and calls, and
make at most MAX_OUTPUT characters (strings built by `~`, `+`, `*` and `%` included), so
a runaway template (`{% for i in range(10**5) %}` twice nested, `{{ 9**9**9 }}`,
`{{ 'x' * 10**10 }}`) stops at once with a message instead of hanging or filling memory.
`range()` gives at most the sandbox's MAX_RANGE (100,000) numbers, and a filter's number
argument is held to the same bound (`center(10**9)`).

Any error a template raises, at load or while rendering, becomes a TemplateError naming
the template file and line (`template_error`).
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment

from briefing.errors import TemplateError

MAX_STEPS = 100_000  # loop iterations and calls in one render
MAX_OUTPUT = 1_000_000  # characters one render may make (a briefing's script is ~30,000)
_MAX_INT_BITS = 10_000  # an integer past ~3,000 digits is never a briefing's number
# A printf or str.format width or precision of six digits or more ("%0999999d").
_HUGE_FORMAT = re.compile(r"%[-#0 +]*(\*|\d{6,})|\{[^{}]*\d{6,}[^{}]*\}")


class RunawayError(Exception):
    """A render went past one of the limits above."""


class _Budget:
    def __init__(self) -> None:
        self.steps = MAX_STEPS
        self.output = MAX_OUTPUT

    def step(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise RunawayError(
                f"it ran more than {MAX_STEPS:,} loop steps and calls in one render; "
                "a template loops over the stories, not over large ranges"
            )

    def add_output(self, size: int) -> None:
        self.output -= size
        if self.output < 0:
            _too_long()


_BUDGET: ContextVar[_Budget | None] = ContextVar("briefing_template_budget", default=None)


def _too_long(size: int | None = None) -> None:
    said = f" ({size:,} characters)" if size is not None else ""
    raise RunawayError(f"it makes more than {MAX_OUTPUT:,} characters of text{said}")


@contextlib.contextmanager
def limits() -> Iterator[None]:
    """One render's budget: everything rendered inside shares it."""
    token = _BUDGET.set(_Budget())
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _step() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.step()


def _sized(value: Any) -> Any:
    """`value`, unless it is text or a sequence longer than one render may make."""
    if isinstance(value, str | list | tuple) and len(value) > MAX_OUTPUT:
        _too_long(len(value))
    if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
        raise RunawayError(f"it makes a number of more than {_MAX_INT_BITS:,} bits")
    return value


class _LimitedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with every loop's items counted and every `~` sized.

    (Jinja allows no node types of one's own, so a loop's iterable is marked by its id.)
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._counted: set[int] = set()

    def visit(self, node: nodes.Node, *args: Any, **kwargs: Any) -> Any:
        if id(node) not in self._counted:
            return super().visit(node, *args, **kwargs)
        self.write("environment.counted(")
        super().visit(node, *args, **kwargs)
        self.write(")")
        return None

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        self._counted.add(id(node.iter))
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.sized(")
        super().visit_Concat(node, frame)
        self.write(")")


class BriefingSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with the limits of one render (see the module's docstring)."""

    code_generator_class = _LimitedCodeGenerator
    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(finalize=self._finalize, **options)
        self.globals.pop("lipsum", None)  # lipsum(n) makes n paragraphs of Latin

    def counted(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Items of a for loop's iterable, each one a step of the budget."""
        for item in iterable:
            _step()
            yield item

    def sized(self, value: Any) -> Any:
        return _sized(value)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _step()
        return _sized(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`"...".format`, refused when its fields have a huge width."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(value.__self__)
        return wrapped

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and right > 0
            and abs(left) > 1
            and right * math.log2(abs(left)) > _MAX_INT_BITS
        ):
            raise RunawayError(f"{left} ** {right} is a number too large to make")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                sequence = isinstance(seq, str | list | tuple) and isinstance(times, int)
                if sequence and len(seq) * times > MAX_OUTPUT:
                    _too_long(len(seq) * times)
        if operator == "%" and isinstance(left, str):
            _check_format(left)
        return _sized(super().call_binop(context, operator, left, right))

    def _finalize(self, value: Any) -> Any:
        budget = _BUDGET.get()
        if budget is not None and isinstance(value, str):
            budget.add_output(len(value))
        return value

    @staticmethod
    def concat(parts: Iterable[str]) -> str:
        """A macro's output, joined: held to MAX_OUTPUT."""
        return str(_sized("".join(parts)))


def _check_format(text: str) -> None:
    if _HUGE_FORMAT.search(text):
        raise RunawayError("it formats a field with a width of a million characters or more")


# Filters whose number argument is a size they make: a width or a count of pieces.
_SIZE_FILTERS = frozenset({"center", "indent", "batch", "slice", "wordwrap", "truncate"})


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter held to the limits: a size at most MAX_RANGE, a format string without a
    huge width, a result of at most MAX_OUTPUT characters."""
    skip = 2 if getattr(func, "jinja_pass_arg", None) is not None else 1  # (context,) value

    @functools.wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if name in _SIZE_FILTERS:
            for arg in (*args[skip:], *kwargs.values()):
                if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_RANGE:
                    raise RunawayError(f"the filter {name} was given {arg}; at most {MAX_RANGE:,}")
        if name == "format" and len(args) >= skip and isinstance(args[skip - 1], str):
            _check_format(args[skip - 1])
        return _sized(func(*args, **kwargs))

    return bounded


def sandbox(loader: jinja2.BaseLoader, filters: dict[str, Callable[..., Any]]) -> BriefingSandbox:
    """A sandboxed environment for plain spoken text (no escaping), StrictUndefined."""
    env = BriefingSandbox(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain spoken text, not HTML
        keep_trailing_newline=False,
    )
    env.filters.update(filters)
    env.filters = {name: _bounded_filter(name, f) for name, f in env.filters.items()}
    return env


def template_error(exc: BaseException, name: str) -> TemplateError:
    """The one-line TemplateError for any exception a template raised: the template's
    file and line (of the innermost template frame), and what went wrong."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(f"template {exc.filename or name} line {exc.lineno}: {exc.message}")
    where = _where(exc) or f"template {name}"
    if isinstance(exc, jinja2.TemplateNotFound):
        missing = ", ".join(getattr(exc, "templates", None) or [exc.name])
        return TemplateError(
            f"{where}: it includes or imports {missing}, which is not a template next to it "
            "or a built-in one; fix the name or add the file"
        )
    if isinstance(exc, jinja2.UndefinedError | SecurityError | RunawayError):
        return TemplateError(f"{where}: {exc}")
    if isinstance(exc, RecursionError):
        return TemplateError(f"{where}: macros call each other without end (too deep)")
    if isinstance(exc, MemoryError):
        return TemplateError(f"{where}: it makes more text than fits in memory")
    what = type(exc).__name__
    return TemplateError(f"{where}: {what}: {exc}" if str(exc) else f"{where}: {what}")


def _where(exc: BaseException) -> str | None:
    """`template FILE line N` of the innermost template frame in `exc`'s traceback."""
    found = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        template = frame.f_globals.get("__jinja_template__")
        if isinstance(template, jinja2.Template):  # template code, called from Python
            line = template.get_corresponding_lineno(lineno)
            found = f"template {template.filename or template.name} line {line}"
        elif "__jinja_exception__" in frame.f_globals:  # a frame Jinja rewrote: its line
            found = f"template {frame.f_code.co_filename} line {lineno}"
    return found

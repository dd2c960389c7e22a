# mutagen ships py.typed but leaves most signatures untyped; this covers what briefing uses.
from os import PathLike
from typing import IO, TypeAlias

# What mutagen opens: a path or a binary file object ("filething").
_Filething: TypeAlias = str | PathLike[str] | IO[bytes]

class MutagenError(Exception): ...
class Tags: ...

class Metadata(Tags):
    def __init__(self, *args: object, **kwargs: object) -> None: ...  # loads, given a file

class PaddingInfo:
    padding: int
    size: int
    def __init__(self, padding: int, size: int) -> None: ...

class StreamInfo:
    length: float

class FileType:
    def __init__(self, filething: _Filething | None = None) -> None: ...

# The ID3 frames briefing writes (briefing/audio/tags.py) and reads back (briefing/journal.py,
# tests). mutagen builds each frame's attributes from its specs at run time; they are
# declared here by hand, and its constructors (*args, **kwargs at run time) take them
# by keyword only.
from collections.abc import Callable
from typing import ClassVar, Literal, overload

from typing_extensions import disjoint_base

from mutagen import FileType, _Filething, Metadata, MutagenError, PaddingInfo, Tags

class error(MutagenError): ...

# mutagen's enums are int subclasses whose members are instances of the class.
@disjoint_base
class Encoding(int):
    LATIN1: ClassVar[Encoding]
    UTF16: ClassVar[Encoding]
    UTF16BE: ClassVar[Encoding]
    UTF8: ClassVar[Encoding]

@disjoint_base
class PictureType(int):
    COVER_FRONT: ClassVar[PictureType]

@disjoint_base
class CTOCFlags(int):
    TOP_LEVEL: ClassVar[CTOCFlags]
    ORDERED: ClassVar[CTOCFlags]

class Frame: ...

class TextFrame(Frame):
    encoding: Encoding
    text: list[str]
    def __init__(self, *, encoding: Encoding = ..., text: str | list[str] = ...) -> None: ...

# Read back, a time stamp frame's text holds ID3TimeStamp objects (str() gives the date).
class TimeStampTextFrame(TextFrame): ...
class TIT2(TextFrame): ...
class TPE1(TextFrame): ...
class TALB(TextFrame): ...
class TCON(TextFrame): ...
class TDRC(TimeStampTextFrame): ...

class COMM(TextFrame):
    lang: str
    desc: str
    def __init__(
        self,
        *,
        encoding: Encoding = ...,
        lang: str = ...,
        desc: str = ...,
        text: str | list[str] = ...,
    ) -> None: ...

class USLT(Frame):
    encoding: Encoding
    lang: str
    desc: str
    text: str
    def __init__(
        self, *, encoding: Encoding = ..., lang: str = ..., desc: str = ..., text: str = ...
    ) -> None: ...

class APIC(Frame):
    encoding: Encoding
    mime: str
    type: PictureType
    desc: str
    data: bytes
    def __init__(
        self,
        *,
        encoding: Encoding = ...,
        mime: str = ...,
        type: int = ...,
        desc: str = ...,
        data: bytes = ...,
    ) -> None: ...

class CHAP(Frame):
    element_id: str
    start_time: int
    end_time: int
    start_offset: int
    end_offset: int
    sub_frames: ID3Tags
    def __init__(
        self,
        *,
        element_id: str = ...,
        start_time: int = ...,
        end_time: int = ...,
        start_offset: int = ...,
        end_offset: int = ...,
        sub_frames: list[Frame] = ...,
    ) -> None: ...

class CTOC(Frame):
    element_id: str
    flags: int
    child_element_ids: list[str]
    sub_frames: ID3Tags
    def __init__(
        self,
        *,
        element_id: str = ...,
        flags: int = ...,
        child_element_ids: list[str] = ...,
        sub_frames: list[Frame] = ...,
    ) -> None: ...

class ID3Tags(Tags):
    # getall(frame id) returns that frame class's instances.
    @overload
    def getall(self, key: Literal["CHAP"]) -> list[CHAP]: ...
    @overload
    def getall(self, key: Literal["CTOC"]) -> list[CTOC]: ...
    @overload
    def getall(self, key: Literal["TIT2"]) -> list[TIT2]: ...
    @overload
    def getall(self, key: Literal["COMM"]) -> list[COMM]: ...
    @overload
    def getall(self, key: Literal["USLT"]) -> list[USLT]: ...
    @overload
    def getall(self, key: Literal["APIC"]) -> list[APIC]: ...
    @overload
    def getall(self, key: str) -> list[Frame]: ...
    @overload
    def __getitem__(self, key: Literal["TIT2"]) -> TIT2: ...
    @overload
    def __getitem__(self, key: str) -> Frame: ...
    def add(self, frame: Frame) -> None: ...

class ID3(ID3Tags, Metadata):
    def __init__(self, filething: _Filething | None = None) -> None: ...
    @property
    def version(self) -> tuple[int, int, int]: ...
    def save(
        self,
        filething: _Filething | None = None,
        v1: int = 1,
        v2_version: int = 4,
        v23_sep: str = "/",
        padding: Callable[[PaddingInfo], int] | None = None,
    ) -> None: ...

class ID3FileType(FileType):
    tags: ID3 | None

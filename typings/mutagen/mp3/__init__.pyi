from typing import IO

from mutagen import StreamInfo
from mutagen.id3 import ID3FileType

class MPEGInfo(StreamInfo):
    def __init__(self, fileobj: IO[bytes], offset: int | None = None) -> None: ...

class MP3(ID3FileType):
    info: MPEGInfo

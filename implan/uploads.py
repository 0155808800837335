"""An upload handler that stops reading once the files of a request pass ``MAX_REQUEST_BYTES``.

The size middleware refuses requests that declare a large Content-Length; this catches bodies sent without one
(chunked), so no upload path can fill the disk.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest


class SizeCappedUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.MAX_REQUEST_BYTES:
            raise RequestDataTooBig("El archivo rebasa el tamaño máximo permitido.")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

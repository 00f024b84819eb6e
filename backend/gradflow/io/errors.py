"""The one error of file reading: a file that cannot be read as what it should hold, said in words."""


class FileError(ValueError):
    """A file that cannot be read as what it should hold."""

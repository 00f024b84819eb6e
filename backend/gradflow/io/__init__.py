"""Reading weights and inputs from files, never running their code: read.py dispatches on the suffix; torch_pt.py
reads torch.save files through a restricted unpickler, keras.py Keras files with h5py."""

from .errors import FileError
from .read import WEIGHT_FORMATS, read_matrix, read_weights

__all__ = ["WEIGHT_FORMATS", "FileError", "read_matrix", "read_weights"]

"""Float16 storage of a kind's vectors (index.py): half the memory of float32.

A worker at 100k records held 287 MB of float32 vectors; as float16 they take 148 MB
(issue 13, "Light workers"). FAISS's IndexScalarQuantizer with QT_fp16 keeps them as
IEEE halves, so its codes are read as a NumPy float16 matrix without a copy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np


class HalfMatrix:
    """The stored float16 vectors in row order, read as float32 (a zero-copy view).

    `matrix @ vector` scores every row through FAISS's float16 kernels: NumPy would first
    convert the whole matrix to float32, ~8× slower than the scan and as large again.
    """

    def __init__(self, flat: Any, halves: np.ndarray) -> None:
        self._flat, self._halves = flat, halves
        self.shape = halves.shape

    def __len__(self) -> int:
        return int(self.shape[0])

    def __getitem__(self, key: Any) -> np.ndarray:
        import numpy as np

        return self._halves[key].astype(np.float32)

    def __matmul__(self, vector: np.ndarray) -> np.ndarray:
        import numpy as np

        n = len(self)
        out = np.zeros(n, dtype=np.float32)
        if n:
            query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
            scores, rows = self._flat.search(query, n)  # every row: labels are row numbers
            out[rows[0]] = scores[0]
        return out


def flat_index(dim: int) -> Any:
    """Exact inner-product storage of float16 vectors (half the memory of float32).

    A cosine of unit vectors moves by at most 2⁻¹¹ from float32's (bench/worker_memory.py
    --formats-only: recall@10 1.000 on synthetic vectors, 0.999 on the demo data's e5
    vectors), far below any difference ranking acts on.
    """
    import faiss

    flat = faiss.IndexScalarQuantizer(
        dim, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
    )
    return faiss.IndexIDMap2(flat)

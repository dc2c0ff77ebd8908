select
    kecamatan,
    varian_ejaan
from {{ ref('kecamatan') }}

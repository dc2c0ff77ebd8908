{#- Why a record counts, per rule, in words: the `alasan` of the basis marts, with {tanggal} (the
    record's day the rule looks at), {D} (the quarter's last day), {N} (its year), {N-1} and {N-2} to
    fill in (`kumkm explain` does). One closed list, so that DuckDB stores the column as an enum. -#}
{% macro basis_reasons() -%}
{{ return({
    'aktif': 'the latest RAT held by {D}, on {tanggal}, in 1 Jan {N-2} .. {D}, status not Bubar: active',
    'aktif_berkualitas': 'the latest RAT held by {D}, on {tanggal}, in 1 Jan {N-2} .. {D}, status not Bubar: active; '
        ~ "held in {N} with volume_usaha and aset above the previous RAT report's: quality improved",
    'nib_simpan_pinjam': 'NIB_SIMPAN_PINJAM kegiatan on {tanggal}, on or before {D}, of an active cooperative',
    'pemeriksaan': 'PEMERIKSAAN kegiatan on {tanggal}, in 1 Jan {N} .. {D} (any hasil), of an active cooperative',
    'penilaian_kesehatan': 'PENILAIAN_KESEHATAN kegiatan on {tanggal}, in 1 Jan {N} .. {D} (any hasil), of an '
        ~ 'active cooperative',
    'diklat': 'DIKLAT kegiatan on {tanggal}, in 1 Jan {N} .. {D}, of an active cooperative: its jumlah_peserta',
    'pengurus': 'the RAT report in force on {D}, effective {tanggal}, of an active cooperative: its jumlah_pengurus',
    'volume': 'a RAT held on {tanggal}, in 1 Jan {N} .. {D}, of a cooperative active on {D}: its volume_usaha',
    'volume_tahun_lalu': 'a RAT held on {tanggal}, in the same period of {N-1}, of a cooperative active on {D}: '
        ~ 'its volume_usaha, subtracted from the numerator',
    'mikro': 'the observation in force on {D}: an SKB since {tanggal}, status Aktif: registered micro',
    'mikro_naik_kelas': 'the observation in force on {D}: an SKB since {tanggal}, status Aktif: registered micro; '
        ~ 'made in {N} with scale Kecil after Mikro: moved up',
    'naik_kelas': 'an observation made on {tanggal}, in {N}, with scale Kecil after Mikro, of a business '
        ~ 'registered micro on {D}: moved up',
    'pkl': 'the observation in force on {D}, made on {tanggal}: informal PKL with a TDU, status Aktif: '
        ~ 'registered street vendor',
    'pkl_diberdayakan': 'the observation in force on {D}: informal PKL with a TDU, status Aktif: registered '
        ~ 'street vendor; first pembinaan of {N} on {tanggal}: empowered',
    'wirausaha': 'the observation in force on {D}: an SKB and an NIB since {tanggal}, status Aktif: registered '
        ~ 'micro, entrepreneur',
    'wirausaha_dua_hari': 'the observation in force on {D} and a year before: an SKB and an NIB since {tanggal}, '
        ~ 'status Aktif: an entrepreneur on both days, counted and subtracted',
    'wirausaha_tahun_lalu': 'the observation in force a year before {D}: an SKB and an NIB since {tanggal}, status '
        ~ 'Aktif: an entrepreneur then, subtracted from the numerator',
    'omzet': 'the observation in force on {D}, made in {N}, of a registered micro business first facilitated in '
        ~ '{N} on {tanggal}: its omzet_tahunan',
    'omzet_tahun_lalu': 'the observation in force a year before {D}, made on {tanggal} (since 1 Jan {N-1}), of a '
        ~ 'business facilitated by then and registered micro on {D}: its omzet_tahunan, subtracted from the numerator',
    'pagu_murni_berlaku': "the MURNI version's line, effective {tanggal}, in force on {D}: pagu murni and pagu in force",
    'pagu_murni': "the MURNI version's line, effective {tanggal}: pagu murni",
    'pagu': 'the line of the version in force on {D}, effective {tanggal}: pagu in force',
    'sp2d': 'an SP2D paid on {tanggal}, in 1 Jan {N} .. {D}: realisasi',
    'nilai': 'the figure delivered for the quarter ending {D}',
}) }}
{%- endmacro %}


{#- The reason `name` of basis_reasons as a SQL string. -#}
{% macro reason(name) -%}
    '{{ basis_reasons()[name] | replace("'", "''") }}'
{%- endmacro %}


{#- The kinds of record a basis names. -#}
{% macro basis_kinds() -%}
{{ return(['rat', 'kegiatan', 'umkm', 'anggaran', 'realisasi', 'indikator']) }}
{%- endmacro %}


{#- A text column of a few values known when the SQL is written (a reason, a kind): in DuckDB an enum,
    which costs next to nothing to store and to serve (3.6 million rows a quarter at 100 times the
    sample); text elsewhere. -#}
{% macro closed_set(expression, values) -%}
    {{ return(adapter.dispatch('closed_set', 'kumkm')(expression, values)) }}
{%- endmacro %}

{% macro default__closed_set(expression, values) -%}
    cast({{ expression }} as {{ dbt.type_string() }})
{%- endmacro %}

{% macro duckdb__closed_set(expression, values) -%}
    cast({{ expression }} as enum(
        {%- for value in values %}'{{ value | replace("'", "''") }}'{{ ', ' if not loop.last }}{% endfor -%}
    ))
{%- endmacro %}

{#- Program → kegiatan → sub-activity names, one row per sub-activity and budget year. -#}
select
    sub_kegiatans.kode_program,
    coalesce(programs.nama_program, sub_kegiatans.nama_program) as nama_program,
    sub_kegiatans.kode_kegiatan,
    sub_kegiatans.nama_kegiatan,
    sub_kegiatans.kode_sub_kegiatan,
    sub_kegiatans.nama_sub_kegiatan,
    sub_kegiatans.tahun_anggaran
from {{ ref('int_sub_kegiatans') }} as sub_kegiatans
left join {{ ref('program') }} as programs
    on programs.kode_program = sub_kegiatans.kode_program

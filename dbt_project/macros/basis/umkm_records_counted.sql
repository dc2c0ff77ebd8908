{#- The records behind the business indicators (indicators.md, Businesses) of the quarters explained:
    per indicator and SIP3 observation, what it adds to the numerator and to the denominator (null:
    nothing there), the day the rule looks at and why it counts. The counts are the observations of
    int_umkm_pendataan that count on D (*_dari <= D < berlaku_sampai, what int_umkm_counts_stepped
    steps through); moved up, empowered and volumes are the businesses of int_umkm_states_replayed,
    which names the observations behind its flags. -#}
{% macro umkm_records_counted() -%}
    with quarters as (
        {{ explained_quarters() }}
    ),

    states as (
        select states.*
        from {{ ref('int_umkm_states_replayed') }} as states
        inner join quarters
            on quarters.tahun = states.tahun
            and quarters.triwulan = states.triwulan
    ),

    -- Each observation that counts in a figure on D, or on the same day a year earlier (PRG-08B).
    berlaku as (
        select
            quarters.tahun,
            quarters.triwulan,
            quarters.as_of_date,
            pendataan.id_umkm,
            pendataan.tanggal_pendataan,
            pendataan.terdata_sejak,
            pendataan.wirausaha_sejak,
            quarters.as_of_date < pendataan.berlaku_sampai
                and coalesce(pendataan.mikro_terdata_dari <= quarters.as_of_date, false) as is_mikro_terdata,
            quarters.as_of_date < pendataan.berlaku_sampai
                and coalesce(pendataan.wirausaha_dari <= quarters.as_of_date, false) as is_wirausaha,
            quarters.as_of_date < pendataan.berlaku_sampai
                and coalesce(pendataan.pkl_terdaftar_dari <= quarters.as_of_date, false) as is_pkl_terdaftar,
            quarters.previous_year_as_of_date < pendataan.berlaku_sampai
                and coalesce(pendataan.wirausaha_dari <= quarters.previous_year_as_of_date, false)
                as is_wirausaha_tahun_lalu
        from {{ ref('int_umkm_pendataan') }} as pendataan
        cross join quarters
        where pendataan.tanggal_pendataan <= quarters.as_of_date
            and quarters.previous_year_as_of_date < pendataan.berlaku_sampai
    ),

    terhitung as (
        select *
        from berlaku
        where is_mikro_terdata or is_pkl_terdaftar or is_wirausaha_tahun_lalu
    ),

    naik_kelas as (
        -- the observation of the move up, and whether it is the state on D
        select
            tahun,
            triwulan,
            as_of_date,
            id_umkm,
            naik_kelas_pertama as tanggal_pendataan,
            naik_kelas_pertama = tanggal_pendataan as is_keadaan_pada_d
        from states
        where is_naik_kelas
    ),

    counted as (
        -- IKU-02: registered micro businesses, and those moved up in year N (by the observation of the move)
        select
            'IKU-02' as kode_indikator,
            terhitung.tahun,
            terhitung.triwulan,
            terhitung.as_of_date,
            terhitung.id_umkm,
            terhitung.tanggal_pendataan,
            case when naik_kelas.is_keadaan_pada_d then 1 end as numerator,
            1 as denominator,
            terhitung.terdata_sejak as tanggal,
            case
                when naik_kelas.is_keadaan_pada_d then {{ reason('mikro_naik_kelas') }}
                else {{ reason('mikro') }}
            end as alasan
        from terhitung
        left join naik_kelas
            on naik_kelas.tahun = terhitung.tahun
            and naik_kelas.triwulan = terhitung.triwulan
            and naik_kelas.id_umkm = terhitung.id_umkm
            and naik_kelas.tanggal_pendataan = terhitung.tanggal_pendataan
        where terhitung.is_mikro_terdata
        union all
        select 'IKU-02', tahun, triwulan, as_of_date, id_umkm, tanggal_pendataan, 1, null, tanggal_pendataan,
            {{ reason('naik_kelas') }}
        from naik_kelas
        where not is_keadaan_pada_d
        union all
        -- PRG-07: registered street vendors, empowered when facilitated in year N
        select 'PRG-07', terhitung.tahun, terhitung.triwulan, terhitung.as_of_date, terhitung.id_umkm,
            terhitung.tanggal_pendataan,
            case when states.is_pkl_diberdayakan then 1 end,
            1,
            coalesce(states.pembinaan_pertama, terhitung.tanggal_pendataan),
            case when states.is_pkl_diberdayakan then {{ reason('pkl_diberdayakan') }} else {{ reason('pkl') }} end
        from terhitung
        left join states
            on states.tahun = terhitung.tahun
            and states.triwulan = terhitung.triwulan
            and states.id_umkm = terhitung.id_umkm
            and states.tanggal_pendataan = terhitung.tanggal_pendataan
            and states.is_pkl_diberdayakan
        where terhitung.is_pkl_terdaftar
        union all
        -- PRG-08A: registered micro businesses, entrepreneurs among them
        select 'PRG-08A', tahun, triwulan, as_of_date, id_umkm, tanggal_pendataan,
            case when is_wirausaha then 1 end,
            1,
            case when is_wirausaha then wirausaha_sejak else terdata_sejak end,
            case when is_wirausaha then {{ reason('wirausaha') }} else {{ reason('mikro') }} end
        from terhitung
        where is_mikro_terdata
        union all
        -- PRG-08B: entrepreneurs on D less those a year before, over those a year before
        select 'PRG-08B', tahun, triwulan, as_of_date, id_umkm, tanggal_pendataan,
            case when is_wirausaha then 1 else 0 end - case when is_wirausaha_tahun_lalu then 1 else 0 end,
            case when is_wirausaha_tahun_lalu then 1 end,
            wirausaha_sejak,
            case
                when is_wirausaha and is_wirausaha_tahun_lalu then {{ reason('wirausaha_dua_hari') }}
                when is_wirausaha then {{ reason('wirausaha') }}
                else {{ reason('wirausaha_tahun_lalu') }}
            end
        from terhitung
        where is_wirausaha or is_wirausaha_tahun_lalu
        union all
        -- RPD-03: the sales of the registered micro businesses facilitated in the year to date, less
        -- (and over) their sales in the same period last year
        select 'RPD-03', tahun, triwulan, as_of_date, id_umkm, tanggal_pendataan,
            coalesce(omzet_tahunan, 0),
            null,
            pembinaan_pertama,
            {{ reason('omzet') }}
        from states
        where is_mikro_terdata and is_dibina and is_didata_tahun_ini
        union all
        select 'RPD-03', tahun, triwulan, as_of_date, id_umkm, tanggal_pendataan_tahun_lalu,
            -coalesce(omzet_tahunan_tahun_lalu, 0),
            coalesce(omzet_tahunan_tahun_lalu, 0),
            tanggal_pendataan_tahun_lalu,
            {{ reason('omzet_tahun_lalu') }}
        from states
        where is_mikro_terdata and tanggal_pendataan_tahun_lalu is not null
    )

    select
        counted.kode_indikator,
        counted.tahun,
        counted.triwulan,
        counted.as_of_date,
        counted.numerator,
        counted.denominator,
        'umkm' as kind,
        counted.tanggal,
        counted.alasan,
        {{ lineage('observation') }}
    from counted
    inner join {{ ref('stg_sip3__umkms') }} as observation
        on observation.id_umkm = counted.id_umkm
        and observation.tanggal_pendataan = counted.tanggal_pendataan
{%- endmacro %}

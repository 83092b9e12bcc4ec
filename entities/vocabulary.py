"""The standard vocabulary: one term per data element, shared by every dataset.

Modelled in spirit on the Korean public-data common standard terms (공공데이터
공통표준용어): a data element such as a road-name address, a postal code or a
birth date is defined once, with one name, type and format, and every dataset
field that holds it names that term (``FieldSpec.term``). A field that refers
to another dataset's record uses the term of that dataset's key (a resident's
``address_id`` is a ``road_address_id``).

``Term.synonyms`` are column names agencies commonly use for the element, in
Korean and English, including the spellings of the public data portal APIs
(data.go.kr, juso.go.kr, vworld, MFDS, NTS). Reconciliation uses them to map an
agency file's columns to a dataset's fields automatically: compare with
:func:`normalise_label`, which ignores case, spaces and punctuation, so
``roadAddr``, ``road_addr`` and ``ROAD ADDR`` are one synonym. Within one
dataset every term is used by at most one field, so a matched term names
exactly one column.

Code lists live here too (:data:`CODE_LABELS`: code -> Korean label), keyed by
term, so a dataset field of type ``CODE`` takes its codes from
:func:`codes` and a Korean value in an agency file ('폐업', '대') can be
mapped back to its code. Codes of lifecycle statuses are English snake_case;
codes that have a national or international standard form keep it (sex
``M``/``F``, sojourn status ``E-9``, ISO 3166 nationality ``VNM``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from entities.spec import FieldType

#: The format of a code term: its values are ``CODE_LABELS[term code]``, which the
#: catalogue publishes with it.
CODE_LIST = "code: one of `codes` (value: Korean label)"


@dataclass(frozen=True)
class Term:
    """One standard data element."""

    code: str
    name_ko: str
    name_en: str
    definition: str
    type: FieldType
    format: str  # human description, e.g. 'YYYY-MM-DD' or '13 digits'
    synonyms: tuple[str, ...]  # column names agencies use for it, Korean and English


_NON_WORD = re.compile(r"[^0-9a-z가-힣]+")


def normalise_label(text: str) -> str:
    """Fold a column name or synonym for matching: lower case, only letters and digits.

    >>> normalise_label("Road_Addr ") == normalise_label("roadAddr")
    True
    """
    return _NON_WORD.sub("", text.lower())


T = FieldType

# Laid out by hand (identity; definition; type and format; synonyms): keep the
# formatter out.
# fmt: off
_TERMS: tuple[Term, ...] = (
    # --- Identifiers of the national master datasets ------------------------------------
    Term(
        "rrn", "주민등록번호", "Resident registration number",
        "주민등록법 제7조의2에 따라 주민에게 부여하는 13자리 번호.",
        T.TEXT, "13 digits YYMMDD-SBBBBBC (hyphen optional); no check digit since 2020-10",
        ("주민등록번호", "주민번호", "rrn", "jumin_no", "jumin",
         "resident_no", "resident_registration_no", "resident_registration_number",
         "ihidnum", "res_no", "ssn"),
    ),
    Term(
        "frn", "외국인등록번호", "Foreigner registration number",
        "출입국관리법 제31조에 따라 등록한 외국인에게 부여하는 13자리 번호.",
        T.TEXT, "13 digits YYMMDD-SNNNNNC; 7th digit 5-8",
        ("외국인등록번호", "외국인번호", "frn", "alien_registration_no",
         "alien_no", "arc_no", "arc_number", "foreigner_no", "foreigner_registration_no",
         "foreign_registration_number", "frgnr_rgst_no"),
    ),
    Term(
        "crn", "법인등록번호", "Corporation registration number",
        "상업등기법·민법에 따라 등기한 법인에 등기소가 부여하는 13자리 번호.",
        T.TEXT, "13 digits NNNNNN-NNNNNNN; mod-10 check digit",
        ("법인등록번호", "법인번호", "crn", "jurirno", "corp_reg_no",
         "corp_no", "corporation_no", "corporation_registration_no",
         "corporation_registration_number"),
    ),
    Term(
        "brn", "사업자등록번호", "Business registration number",
        "부가가치세법 제8조에 따라 관할 세무서가 사업자에게 부여하는 10자리 번호.",
        T.TEXT, "10 digits NNN-NN-NNNNN; weighted mod-10 check digit",
        ("사업자등록번호", "사업자번호", "brn", "bizrno", "b_no",
         "biz_no", "business_no", "business_registration_no",
         "business_registration_number"),
    ),
    Term(
        "pnu", "필지고유번호", "Parcel unique number (PNU)",
        "토지(필지)를 식별하는 19자리 고유번호: 법정동코드, 산 여부, 본번, 부번.",
        T.TEXT, "19 digits: legal-dong code (10) + mountain flag (1) + main lot (4) + sub lot (4)",
        ("PNU", "필지고유번호", "토지고유번호", "고유번호", "필지번호", "parcel_id",
         "parcel_no", "land_id", "lot_id", "pnu_code"),
    ),
    Term(
        "pnu_list", "필지고유번호 목록", "Parcel numbers (list)",
        "하나의 기록이 관련된 필지들의 고유번호 목록.",
        T.TEXT, "PNUs (19 digits each) separated by ';'",
        ("필지목록", "경작필지", "경영필지", "필지고유번호목록", "parcels", "parcel_list",
         "pnu_list", "pnus", "farmland_parcels", "land_parcels"),
    ),
    Term(
        "road_address_id", "도로명주소 관리번호", "Road-name address id",
        "도로명주소법에 따라 부여된 도로명주소(건물 등의 주소) 하나를 식별하는 관리번호.",
        T.TEXT, "26 digits: sigungu (5) + eupmyeondong (3) + road no (7) + underground (1) "
        "+ building main no (5) + sub no (5)",
        ("도로명주소관리번호", "주소관리번호", "road_address_id",
         "address_id", "addr_id", "adr_mng_no", "address_no", "road_addr_id"),
    ),
    Term(
        "building_register_no", "건축물대장 관리번호", "Building register number",
        "건축법 제38조의 건축물대장에서 건축물 하나를 식별하는 관리번호.",
        T.TEXT, "'SSSSS-N…': si-gun-gu code (5), hyphen, serial (1-27 digits), e.g. 11680-8520602",
        ("건축물대장번호", "건축물대장 관리번호", "대장관리번호", "관리건축물대장PK",
         "mgm_bldrgst_pk", "building_register_no", "bldrgst_no", "bldg_reg_no",
         "building_id"),
    ),
    Term(
        "vin", "차대번호", "Vehicle identification number (VIN)",
        "자동차 제작자가 차체에 표기한 17자리 식별번호(ISO 3779).",
        T.TEXT, "17 characters A-Z and 0-9 without I, O, Q",
        ("차대번호", "차량식별번호", "vin", "vin_no", "chassis_no", "frame_no",
         "vehicle_identification_number", "car_idnt_no"),
    ),
    Term(
        "plate", "자동차등록번호", "Vehicle registration plate",
        "자동차관리법 제5조에 따른 자동차등록번호(번호판).",
        T.TEXT, "e.g. '12가3456', '123가4567' or '서울12가3456'",
        ("자동차등록번호", "차량번호", "차량등록번호", "번호판", "번호판번호", "plate",
         "plate_no", "plate_number", "license_plate", "licence_plate", "car_no", "vhcl_no",
         "vhr_no", "vehicle_no"),
    ),
    Term(
        "driver_licence_no", "운전면허번호", "Driver licence number",
        "도로교통법 제80조에 따른 운전면허에 부여하는 번호.",
        T.TEXT, "12 digits: region (2) + year of first licence (2) + serial (6) + check (1) "
        "+ reissue (1), e.g. 11-24-123456-71",
        ("운전면허번호", "면허번호", "licence_no", "license_no",
         "driver_licence_no", "driver_license_no", "dl_no", "lcns_no", "drv_lcns_no"),
    ),
    Term(
        "workplace_no", "사업장관리번호", "Workplace management number",
        "고용보험·산재보험 적용 사업장에 근로복지공단이 부여하는 관리번호.",
        T.TEXT, "11 digits: business registration number (10) + serial (1)",
        ("사업장관리번호", "사업장번호", "workplace_no", "workplace_id",
         "workplace_management_no", "establishment_no", "wkpl_no", "bplc_mng_no"),
    ),
    Term(
        "farm_business_no", "농업경영체 등록번호", "Farm business registration number",
        "농어업경영체법 제4조에 따라 등록한 농업경영체에 부여하는 번호.",
        T.TEXT, "10 digits, printed N-NNN-NNN-NNN",
        ("농업경영체등록번호", "경영체등록번호", "경영체번호", "농업경영체번호",
         "farm_business_no", "farm_no", "farm_reg_no", "frmhs_no", "mngmt_ent_no"),
    ),
    Term(
        "gtin13", "표준코드", "Standard code (GTIN-13)",
        "GS1 국제표준 13자리 상품식별코드; 의약품 표준코드는 880(대한민국)으로 시작.",
        T.TEXT, "13 digits with GS1 mod-10 check digit",
        ("표준코드", "바코드", "상품바코드", "의약품표준코드", "gtin", "gtin13", "ean13",
         "barcode", "std_code", "standard_code", "std_cd"),
    ),
    Term(
        "medicine_code", "품목기준코드", "Medicine product code",
        "식품의약품안전처가 허가·신고한 의약품 품목마다 부여하는 9자리 코드.",
        T.TEXT, "9 digits: year of approval (4) + serial (5)",
        ("품목기준코드", "품목코드", "품목일련번호", "item_seq", "product_code",
         "medicine_code", "drug_code", "prduct_code"),
    ),
    Term(
        "goods_id", "물품식별번호", "Goods identification number",
        "조달청 물품목록에서 개별 물품(규격)을 식별하는 번호.",
        T.TEXT, "8 digits",
        ("물품식별번호", "식별번호", "물품목록번호", "goods_id", "goods_no", "item_id",
         "prdct_idnt_no", "product_id_no"),
    ),
    Term(
        "goods_classification_code", "물품분류번호", "Goods classification number",
        "조달청 물품분류체계(UNSPSC 기반)의 8자리 분류번호.",
        T.TEXT, "8 digits",
        ("물품분류번호", "분류번호", "물품분류코드", "classification_code", "class_code",
         "prdct_clsfc_no", "unspsc", "unspsc_code"),
    ),
    Term(
        "cas", "CAS 번호", "CAS registry number",
        "미국화학회 CAS가 화학물질마다 부여하는 등록번호.",
        T.TEXT, "2-7 digits, 2 digits, 1 check digit: NNNNNNN-NN-N",
        ("CAS번호", "CAS No", "CAS 등록번호", "카스번호", "cas", "cas_rn",
         "cas_number", "cas_registry_number"),
    ),
    Term(
        "un_number", "UN 번호", "UN number",
        "유엔 위험물 운송 권고(UN Model Regulations)의 4자리 물질 번호.",
        T.TEXT, "4 digits, e.g. 1005",
        ("UN번호", "UN No", "유엔번호", "un_number"),
    ),
    # --- Places and regions -----------------------------------------------------------
    Term(
        "legal_dong_code", "법정동코드", "Legal-dong code",
        "행정표준코드의 법정동코드(시도 2, 시군구 3, 읍면동 3, 리 2자리).",
        T.TEXT, "10 digits",
        ("법정동코드", "법정동", "bjdong_cd", "bjd_cd", "bjd_code", "ldong_cd",
         "ld_code", "legal_dong_code", "legaldong_cd", "adm_cd"),
    ),
    Term(
        "sigungu_code", "시군구코드", "Municipality (si-gun-gu) code",
        "시군구를 나타내는 5자리 코드(법정동코드 앞 5자리); 기관별 조회 범위의 기준.",
        T.TEXT, "5 digits",
        ("시군구코드", "관할시군구코드", "sigungu_code", "sigungu_cd",
         "sgg_cd", "sgg_code", "signgu_cd", "signgu_code", "region_code", "region_cd"),
    ),
    Term(
        "sido_name", "시도명", "Province (si-do) name",
        "광역자치단체(특별시·광역시·도·특별자치시·특별자치도)의 명칭.",
        T.TEXT, "Hangul name, e.g. '서울특별시'",
        ("시도", "시도명", "광역시도", "sido", "sido_nm", "si_nm", "ctprvn_nm", "province"),
    ),
    Term(
        "sigungu_name", "시군구명", "Municipality (si-gun-gu) name",
        "기초자치단체 또는 행정시·자치구가 아닌 구의 명칭.",
        T.TEXT, "Hangul name, e.g. '강남구'",
        ("시군구", "시군구명", "sigungu", "sigungu_nm", "sgg_nm", "signgu_nm", "city_county"),
    ),
    Term(
        "eupmyeondong_name", "읍면동명", "Eup/myeon/dong name",
        "법정 읍·면·동의 명칭.",
        T.TEXT, "Hangul name, e.g. '역삼동'",
        ("읍면동", "읍면동명", "법정동명", "eupmyeondong", "emd", "emd_nm", "dong",
         "town"),
    ),
    Term(
        "road_name", "도로명", "Road name",
        "도로명주소법에 따라 도로구간마다 부여한 이름.",
        T.TEXT, "Hangul name, e.g. '테헤란로'",
        ("도로명", "도로 이름", "road_name", "road_nm", "rn", "rd_nm", "street", "street_name"),
    ),
    Term(
        "building_main_no", "건물본번", "Building main number",
        "도로명주소의 건물번호 중 본번.",
        T.INTEGER, "integer 1-99999",
        ("건물본번", "건물번호본번", "건물번호", "buld_mnnm", "bldg_main_no", "main_no",
         "building_main_no", "building_no"),
    ),
    Term(
        "building_sub_no", "건물부번", "Building sub number",
        "도로명주소의 건물번호 중 부번(없으면 0).",
        T.INTEGER, "integer 0-99999",
        ("건물부번", "건물번호부번", "buld_slno", "bldg_sub_no", "sub_no", "building_sub_no"),
    ),
    Term(
        "underground", "지하여부", "Underground",
        "도로명주소가 지하 건물(지하상가 등)의 주소인지 여부.",
        T.BOOLEAN, "true/false (Y/N, 1/0 accepted)",
        ("지하여부", "지하", "udrt_yn", "underground", "is_underground", "basement_yn"),
    ),
    Term(
        "postal_code", "우편번호", "Postal code",
        "2015년 8월부터 쓰는 5자리 국가기초구역번호 우편번호.",
        T.TEXT, "5 digits",
        ("우편번호", "새우편번호", "기초구역번호", "postal_code", "postcode", "post_no",
         "zip", "zip_code", "zip_no"),
    ),
    Term(
        "road_address", "도로명주소", "Road-name address",
        "시도부터 건물번호까지 쓴 한글 도로명주소 전체(참고항목 제외).",
        T.TEXT, "Hangul text, e.g. '서울특별시 강남구 테헤란로 152'",
        ("도로명주소", "주소", "전체주소", "소재지", "소재지주소", "소재지도로명주소",
         "road_address", "road_addr", "road_full_addr", "rdnmadr", "rd_addr", "address",
         "addr", "full_address"),
    ),
    Term(
        "building_name", "건물명", "Building name",
        "건물(단지)에 붙인 명칭, 예: 'OO아파트'.",
        T.TEXT, "text",
        ("건물명", "건축물명", "건물 이름", "bd_nm", "bld_nm", "bldg_nm", "building_name"),
    ),
    Term(
        "building_dong_name", "동명칭", "Building block name",
        "한 대지에 여러 동이 있을 때 각 동의 명칭, 예: '101동'.",
        T.TEXT, "text",
        ("동명칭", "동명", "dong_nm", "dong_name", "block_name", "building_dong"),
    ),
    Term(
        "lot_number", "지번", "Lot number",
        "필지의 지번(산 표시, 본번-부번), 예: '산12-3'.",
        T.TEXT, "'[산]main[-sub]', e.g. '123-4' or '산12'",
        ("지번", "번지", "본번부번", "lot_number", "lot_no", "jibun", "lnbr", "mnnm_slno"),
    ),
    # --- Persons ----------------------------------------------------------------------
    Term(
        "person_name", "성명", "Person name",
        "사람의 한글 성명.",
        T.TEXT, "Hangul, usually 2-5 syllables",
        ("성명", "이름", "한글성명", "성명(한글)", "name", "full_name", "person_name", "nm",
         "kor_nm", "korean_name", "fnm"),
    ),
    Term(
        "person_name_en", "영문성명", "Person name (romanised)",
        "여권 등에 쓰인 로마자 성명.",
        T.TEXT, "Latin letters, 'SURNAME GIVEN NAMES'",
        ("영문성명", "영문이름", "영문명", "로마자성명", "english_name", "name_en", "eng_nm",
         "romanized_name", "romanised_name", "passport_name"),
    ),
    Term(
        "person_name_hanja", "한자성명", "Person name (Hanja)",
        "사람의 한자 성명.",
        T.TEXT, "Hanja characters",
        ("한자성명", "한자이름", "성명(한자)", "name_hanja", "hanja_name", "chinese_name",
         "chn_nm"),
    ),
    Term(
        "birth_date", "생년월일", "Birth date",
        "사람이 태어난 날.",
        T.DATE, "YYYY-MM-DD",
        ("생년월일", "생일", "출생일", "출생일자", "birth_date", "birthday",
         "date_of_birth", "dob", "brth_ymd", "brthdy", "birth_ymd"),
    ),
    Term(
        "sex", "성별", "Sex",
        "사람의 성별.",
        T.CODE, "M (남) or F (여)",
        ("성별", "성별코드", "성별구분", "sex", "sex_cd", "sexdstn", "gender", "gndr"),
    ),
    Term(
        "nationality", "국적", "Nationality",
        "사람의 국적(ISO 3166-1 alpha-3, 무국적 등은 ICAO Doc 9303 코드).",
        T.CODE, "3 upper-case letters, e.g. 'VNM'",
        ("국적", "국적코드", "국가", "nationality", "nationality_code", "nation",
         "country", "citizenship", "ntnlty", "natn_cd"),
    ),
    Term(
        "household_id", "세대번호", "Household number",
        "주민등록 세대를 식별하는 번호.",
        T.TEXT, "digits",
        ("세대번호", "세대관리번호", "household_id", "household_no", "hshld_no",
         "sedae_no"),
    ),
    Term(
        "household_role", "세대주 여부", "Household role",
        "세대 안에서 세대주인지 세대원인지.",
        T.CODE, "head (세대주) or member (세대원)",
        ("세대주여부", "세대주구분", "세대주관계", "세대주와의관계", "household_role",
         "relation_to_head", "hshld_rel", "head_yn"),
    ),
    Term(
        "move_in_date", "전입일자", "Move-in date",
        "현 주소에 전입신고한 날.",
        T.DATE, "YYYY-MM-DD",
        ("전입일", "전입일자", "전입신고일", "move_in_date", "moved_in_date", "mvin_ymd",
         "mvin_de"),
    ),
    Term(
        "resident_status", "주민등록 상태", "Resident status",
        "주민등록 기록의 상태(생존, 사망, 국외이주, 거주불명).",
        T.CODE, CODE_LIST,
        ("주민등록상태", "상태", "상태코드", "생존여부", "사망여부", "status", "status_code",
         "stts_cd", "resident_status"),
    ),
    Term(
        "visa_status", "체류자격", "Sojourn status",
        "출입국관리법 시행령 별표 1의2의 체류자격(장기체류, 외국인등록 대상).",
        T.CODE, "letter-number, e.g. 'E-9', 'F-4'",
        ("체류자격", "체류자격코드", "비자", "비자종류", "visa", "visa_type", "visa_status",
         "visa_code", "stay_qualification", "sojourn_status", "residence_status"),
    ),
    Term(
        "stay_expiry_date", "체류기간 만료일", "Stay expiry date",
        "허가된 체류기간의 마지막 날.",
        T.DATE, "YYYY-MM-DD",
        ("체류기간만료일", "체류만료일", "체류기간", "stay_expiry_date", "stay_expiry",
         "stay_until", "visa_expiry", "expiry_of_stay", "sjrn_end_de"),
    ),
    Term(
        "foreign_resident_status", "외국인 체류 상태", "Foreign resident status",
        "등록외국인의 체류 상태(체류중, 출국, 체류기간 만료, 사망).",
        T.CODE, CODE_LIST,
        ("체류상태", "상태", "상태코드", "status", "status_code", "stts_cd", "stay_status",
         "foreign_resident_status"),
    ),
    # --- Ownership, organisations and representatives ---------------------------------
    Term(
        "owner_kind", "소유자 구분", "Owner kind",
        "소유자가 개인(주민)인지 법인인지.",
        T.CODE, "resident (개인) or corporation (법인)",
        ("소유자구분", "소유자유형", "소유구분", "개인법인구분", "owner_kind", "owner_type",
         "owner_gb", "ownr_se"),
    ),
    Term(
        "owner_id", "소유자 식별번호", "Owner id",
        "소유자의 주민등록번호(개인) 또는 법인등록번호(법인).",
        T.TEXT, "13 digits (RRN or corporation registration number, per owner kind)",
        ("소유자번호", "소유자식별번호", "소유자등록번호", "소유자주민번호", "owner_id",
         "owner_no", "owner_reg_no", "ownr_idnt_no"),
    ),
    Term(
        "corporation_name", "법인명", "Corporation name",
        "등기된 법인의 상호 또는 명칭.",
        T.TEXT, "text, e.g. '주식회사 가나다'",
        ("법인명", "법인명칭", "회사명", "상호", "corporation_name", "corp_name", "corp_nm",
         "company_name", "name"),
    ),
    Term(
        "corporation_kind", "법인 종류", "Corporation kind",
        "상법·민법 등에 따른 법인의 종류(주식회사, 사단법인 등).",
        T.CODE, CODE_LIST,
        ("법인종류", "법인구분", "회사종류", "법인형태", "corporation_kind", "corp_kind",
         "corp_type", "corp_se"),
    ),
    Term(
        "representative_name", "대표자 성명", "Representative name",
        "법인 또는 사업자를 대표하는 사람의 성명.",
        T.TEXT, "Hangul name",
        ("대표자명", "대표자", "대표자성명", "대표이사", "representative_name",
         "representative", "rprsntv_nm", "ceo", "ceo_name", "ceo_nm", "p_nm"),
    ),
    Term(
        "established_date", "설립일자", "Established date",
        "법인 설립등기일 또는 사업장 보험관계 성립일.",
        T.DATE, "YYYY-MM-DD",
        ("설립일", "설립일자", "설립등기일", "성립일", "성립일자", "established_date",
         "establishment_date", "est_date", "estb_dt", "fndn_ymd"),
    ),
    Term(
        "capital_amount", "자본금", "Capital",
        "등기된 자본금 총액(원).",
        T.DECIMAL, "KRW amount",
        ("자본금", "자본금액", "capital", "capital_amount", "cptl_amt"),
    ),
    Term(
        "corporation_status", "법인 상태", "Corporation status",
        "법인 등기기록의 상태(존속, 해산, 청산종결, 합병해산).",
        T.CODE, CODE_LIST,
        ("법인상태", "등기상태", "상태", "상태코드", "status", "status_code", "stts_cd",
         "corp_status", "corporation_status"),
    ),
    Term(
        "trade_name", "상호", "Trade name",
        "사업자등록상 상호.",
        T.TEXT, "text",
        ("상호", "상호명", "사업장명", "업체명", "trade_name", "company_name", "biz_name",
         "b_nm", "bsns_nm", "cmpny_nm"),
    ),
    Term(
        "business_kind", "사업자 구분", "Business kind",
        "개인사업자와 법인사업자의 구분.",
        T.CODE, "individual (개인) or corporate (법인)",
        ("사업자구분", "사업자유형", "개인법인구분", "business_type", "business_kind",
         "biz_type", "bsns_se"),
    ),
    Term(
        "industry_code", "표준산업분류코드", "Industry code (KSIC)",
        "한국표준산업분류(KSIC) 세세분류 코드.",
        T.TEXT, "5 digits (KSIC 11th revision sub-class)",
        ("표준산업분류코드", "산업분류코드", "업종코드", "표준산업분류", "ksic", "ksic_cd",
         "ksic_code", "industry_code", "induty_cd", "induty_code"),
    ),
    Term(
        "opened_date", "개업일자", "Opening date",
        "사업을 시작한 날(사업자등록상 개업일).",
        T.DATE, "YYYY-MM-DD",
        ("개업일", "개업일자", "개업연월일", "opened_date", "open_date", "opening_date",
         "start_dt", "opn_ymd"),
    ),
    Term(
        "tax_type", "과세유형", "Tax type",
        "부가가치세 과세유형.",
        T.CODE, CODE_LIST,
        ("과세유형", "과세유형코드", "과세구분", "tax_type", "tax_type_cd", "taxation_type"),
    ),
    Term(
        "business_status", "사업자 상태", "Business status",
        "국세청 납세자 상태(계속사업자, 휴업자, 폐업자).",
        T.CODE, CODE_LIST,
        ("사업자상태", "납세자상태", "영업상태", "상태", "상태코드", "status", "status_code",
         "stts_cd", "b_stt", "b_stt_cd", "business_status"),
    ),
    Term(
        "workplace_name", "사업장명", "Workplace name",
        "고용·산재보험 사업장의 명칭.",
        T.TEXT, "text",
        ("사업장명", "사업장명칭", "workplace_name", "wkpl_nm", "establishment_name",
         "site_name"),
    ),
    Term(
        "employee_count", "상시근로자수", "Number of employees",
        "사업장의 상시근로자(피보험자) 수.",
        T.INTEGER, "non-negative integer",
        ("상시근로자수", "근로자수", "피보험자수", "가입자수", "employees", "employee_count",
         "emp_cnt", "jnngp_cnt", "worker_count"),
    ),
    Term(
        "insurance_kind", "가입 보험 구분", "Insurance kind",
        "사업장이 가입한 보험(고용보험, 산재보험, 둘 다).",
        T.CODE, "employment, industrial_accident or both",
        ("보험구분", "가입보험", "보험종류", "insurance", "insurance_kind",
         "insurance_type", "insr_se"),
    ),
    Term(
        "workplace_status", "사업장 상태", "Workplace status",
        "보험관계의 상태(정상, 소멸).",
        T.CODE, CODE_LIST,
        ("사업장상태", "보험관계상태", "상태", "상태코드", "status", "status_code", "stts_cd",
         "workplace_status"),
    ),
    Term(
        "maker_name", "제조사명", "Maker name",
        "제품을 만든(수입한) 업체의 이름.",
        T.TEXT, "text",
        ("제조사", "제조사명", "제조업체", "제조업체명", "업체명", "maker", "maker_name",
         "manufacturer", "manufacturer_name", "entp_name", "mnfctr_nm"),
    ),
    # --- Land and buildings ------------------------------------------------------------
    Term(
        "land_category", "지목", "Land category",
        "공간정보관리법 제67조의 28개 지목.",
        T.CODE, CODE_LIST + " (지목 names in Korean)",
        ("지목", "지목코드", "지목명", "land_category", "land_use_category", "jimok",
         "lndcgr_code", "lndcgr_nm"),
    ),
    Term(
        "area_m2", "면적", "Area (m²)",
        "토지 또는 경영 면적(제곱미터).",
        T.DECIMAL, "square metres, up to 2 decimals",
        ("면적", "토지면적", "경영면적", "area", "area_m2", "ar", "lndpcl_ar",
         "land_area"),
    ),
    Term(
        "official_land_price", "개별공시지가", "Official land price (per m²)",
        "부동산 가격공시에 관한 법률에 따른 개별공시지가(원/㎡).",
        T.DECIMAL, "KRW per square metre",
        ("공시지가", "개별공시지가", "공시지가(원/㎡)", "official_land_price",
         "official_price", "land_price", "pblntf_pclnd"),
    ),
    Term(
        "price_base_year", "가격기준연도", "Price base year",
        "공시지가가 기준으로 삼는 연도.",
        T.INTEGER, "YYYY",
        ("기준연도", "공시연도", "가격기준년도", "stdr_year", "base_year", "price_year"),
    ),
    Term(
        "use_zone", "용도지역", "Use zone",
        "국토계획법 제36조·시행령 제30조의 용도지역.",
        T.CODE, CODE_LIST,
        ("용도지역", "용도지역명", "용도지역코드", "use_zone", "zoning", "zone",
         "prpos_area1", "prpos_area1_nm"),
    ),
    Term(
        "parcel_status", "토지 상태", "Parcel status",
        "필지의 상태(정상, 합병, 분할, 폐쇄).",
        T.CODE, CODE_LIST,
        ("토지상태", "필지상태", "토지이동상태", "상태", "상태코드", "status", "status_code",
         "stts_cd", "parcel_status"),
    ),
    Term(
        "main_use", "주용도", "Main use",
        "건축법 시행령 별표 1의 건축물 용도.",
        T.CODE, CODE_LIST,
        ("주용도", "주용도코드", "주용도명", "건물용도", "main_use", "main_purps_cd",
         "main_purps_cd_nm", "building_use", "use"),
    ),
    Term(
        "building_structure", "주구조", "Main structure",
        "건축물의 주된 구조.",
        T.CODE, CODE_LIST,
        ("구조", "주구조", "구조코드", "구조명", "structure", "strct_cd", "strct_cd_nm"),
    ),
    Term(
        "floors_above", "지상층수", "Floors above ground",
        "건축물의 지상 층수.",
        T.INTEGER, "non-negative integer",
        ("지상층수", "지상층", "grnd_flr_cnt", "floors_above", "ground_floors",
         "above_ground_floors"),
    ),
    Term(
        "floors_below", "지하층수", "Floors below ground",
        "건축물의 지하 층수.",
        T.INTEGER, "non-negative integer",
        ("지하층수", "지하층", "ugrnd_flr_cnt", "floors_below", "basement_floors",
         "underground_floors"),
    ),
    Term(
        "total_floor_area", "연면적", "Total floor area (m²)",
        "건축물 각 층 바닥면적의 합계(제곱미터).",
        T.DECIMAL, "square metres, up to 2 decimals",
        ("연면적", "tot_area", "total_floor_area", "gross_floor_area",
         "total_area"),
    ),
    Term(
        "building_area", "건축면적", "Building area (m²)",
        "건축물 외벽 중심선으로 둘러싸인 수평투영면적(제곱미터).",
        T.DECIMAL, "square metres, up to 2 decimals",
        ("건축면적", "arch_area", "building_area", "footprint_area"),
    ),
    Term(
        "use_approval_date", "사용승인일", "Use approval date",
        "건축법 제22조에 따른 사용승인일(준공일).",
        T.DATE, "YYYY-MM-DD",
        ("사용승인일", "사용승인일자", "준공일", "use_apr_day", "use_approval_date",
         "completion_date"),
    ),
    Term(
        "building_status", "건축물 상태", "Building status",
        "건축물대장의 상태(현존, 멸실).",
        T.CODE, CODE_LIST,
        ("건축물상태", "대장상태", "멸실여부", "상태", "상태코드", "status", "status_code",
         "stts_cd", "building_status"),
    ),
    Term(
        "address_status", "주소 상태", "Address status",
        "도로명주소의 상태(사용, 폐지).",
        T.CODE, CODE_LIST,
        ("주소상태", "사용여부", "폐지여부", "상태", "상태코드", "status", "status_code",
         "stts_cd", "address_status"),
    ),
    # --- Vehicles ----------------------------------------------------------------------
    Term(
        "vehicle_make", "제작사", "Vehicle make",
        "자동차 제작사(브랜드).",
        T.TEXT, "text, e.g. '현대'",
        ("제작사", "제작사명", "제조사", "제조사명", "make", "maker", "brand",
         "manufacturer", "mkr_nm"),
    ),
    Term(
        "vehicle_model", "차명", "Vehicle model",
        "자동차등록원부의 차명(모델명).",
        T.TEXT, "text, e.g. '쏘나타'",
        ("차명", "차량명", "모델명", "model", "model_name", "car_nm", "vhcl_nm"),
    ),
    Term(
        "model_year", "연식", "Model year",
        "자동차의 연식(모델 연도).",
        T.INTEGER, "YYYY",
        ("연식", "연형", "모델연도", "model_year", "year", "mdl_year", "yridnw"),
    ),
    Term(
        "fuel_type", "사용연료", "Fuel type",
        "자동차의 사용 연료.",
        T.CODE, CODE_LIST,
        ("연료", "사용연료", "연료종류", "fuel", "fuel_type", "fuel_kind", "fuel_cd",
         "use_fuel_nm"),
    ),
    Term(
        "vehicle_type", "차종", "Vehicle type",
        "자동차관리법 제3조의 자동차 종류(승용, 승합, 화물, 특수).",
        T.CODE, CODE_LIST,
        ("차종", "차종구분", "자동차종류", "vehicle_type", "car_type", "vhcty_asort_nm",
         "vehicle_kind"),
    ),
    Term(
        "vehicle_use", "용도", "Vehicle use",
        "자동차의 용도(자가용, 영업용, 관용).",
        T.CODE, CODE_LIST,
        ("용도", "용도구분", "자가용구분", "vehicle_use", "use_type", "usage", "prpos_se_nm"),
    ),
    Term(
        "registered_date", "등록일자", "Registration date",
        "대상이 처음 등록된 날(최초등록일, 외국인등록일, 경영체 등록일 등).",
        T.DATE, "YYYY-MM-DD",
        ("등록일", "등록일자", "최초등록일", "최초등록일자", "등록연월일", "registered_date",
         "registration_date", "reg_date", "reg_dt", "frst_regist_de", "rgst_ymd"),
    ),
    Term(
        "vehicle_status", "자동차 등록 상태", "Vehicle status",
        "자동차등록원부의 상태(등록, 폐차말소, 수출말소, 기타말소).",
        T.CODE, CODE_LIST,
        ("등록상태", "차량상태", "말소여부", "상태", "상태코드", "status", "status_code",
         "stts_cd", "vehicle_status"),
    ),
    # --- Licences ----------------------------------------------------------------------
    Term(
        "licence_kind", "면허 종별", "Licence kind",
        "도로교통법 제80조의 운전면허 종별.",
        T.CODE, CODE_LIST,
        ("면허종별", "면허종류", "면허종", "면허구분", "licence_kind", "license_kind",
         "license_type", "licence_type", "lcns_knd"),
    ),
    Term(
        "issued_date", "면허일자", "Issued date",
        "면허를 처음 받은 날.",
        T.DATE, "YYYY-MM-DD",
        ("면허일", "면허일자", "면허취득일", "발급일", "발급일자", "issued_date",
         "issue_date", "acquired_date", "lcns_ymd"),
    ),
    Term(
        "expiry_date", "유효기간 만료일", "Expiry date",
        "면허 갱신(적성검사) 기간의 마지막 날.",
        T.DATE, "YYYY-MM-DD",
        ("만료일", "만료일자", "유효기간", "적성검사만료일", "갱신기간만료일", "expiry_date",
         "expiration_date", "expire_date", "exp_date", "valid_until"),
    ),
    Term(
        "automatic_only", "자동변속기 한정", "Automatic transmission only",
        "면허가 자동변속기 차량으로 한정되는지 여부.",
        T.BOOLEAN, "true/false (Y/N, 1/0 accepted)",
        ("자동변속기한정", "자동한정", "면허조건", "automatic_only", "auto_only", "at_only"),
    ),
    Term(
        "licence_status", "면허 상태", "Licence status",
        "운전면허의 상태(유효, 정지, 취소, 실효).",
        T.CODE, CODE_LIST,
        ("면허상태", "상태", "상태코드", "status", "status_code", "stts_cd",
         "licence_status", "license_status"),
    ),
    # --- Goods, medicines, substances -----------------------------------------------
    Term(
        "goods_name", "품명", "Goods name",
        "조달청 물품목록의 품명.",
        T.TEXT, "text",
        ("품명", "물품명", "상품명", "goods_name", "item_name", "prdct_nm", "product_name",
         "name"),
    ),
    Term(
        "model_name", "모델명", "Model name",
        "제조사가 붙인 모델명(규격 식별).",
        T.TEXT, "text",
        ("모델명", "모델", "model", "model_name", "model_no", "mdl_nm"),
    ),
    Term(
        "specification", "규격", "Specification",
        "물품의 규격 설명.",
        T.TEXT, "text",
        ("규격", "규격명", "사양", "specification", "spec", "prdct_spec_nm"),
    ),
    Term(
        "goods_unit", "단위", "Unit",
        "물품의 거래 단위.",
        T.CODE, CODE_LIST,
        ("단위", "단위코드", "unit", "uom", "unit_cd", "unit_of_measure"),
    ),
    Term(
        "unit_price", "단가", "Unit price",
        "단위당 가격(원, 부가가치세 포함).",
        T.DECIMAL, "KRW amount",
        ("단가", "계약단가", "물품단가", "unit_price", "price", "uprc", "cntrct_uprc"),
    ),
    Term(
        "goods_status", "물품 상태", "Goods status",
        "물품목록 등록 상태(사용, 사용중지).",
        T.CODE, CODE_LIST,
        ("물품상태", "사용여부", "상태", "상태코드", "status", "status_code", "stts_cd",
         "goods_status"),
    ),
    Term(
        "medicine_name", "제품명", "Medicine name",
        "허가된 의약품 제품명.",
        T.TEXT, "text",
        ("제품명", "품목명", "의약품명", "약품명", "item_name", "product_name",
         "medicine_name", "drug_name", "name"),
    ),
    Term(
        "main_ingredient", "주성분", "Main ingredient",
        "의약품의 주성분과 함량.",
        T.TEXT, "text, e.g. '아세트아미노펜 500mg'",
        ("주성분", "주성분명", "성분", "성분명", "ingredient", "main_ingredient",
         "main_item_ingr", "material_name"),
    ),
    Term(
        "dosage_form", "제형", "Dosage form",
        "의약품의 제형.",
        T.CODE, CODE_LIST,
        ("제형", "제형구분", "제형명", "dosage_form", "form", "drug_form", "dosage_form_nm"),
    ),
    Term(
        "otc_kind", "전문일반 구분", "Prescription or OTC",
        "약사법 제2조의 전문의약품·일반의약품 구분.",
        T.CODE, "prescription (전문) or otc (일반)",
        ("전문일반", "전문일반구분", "etc_otc_code", "etc_otc", "otc_kind",
         "rx_otc", "drug_class"),
    ),
    Term(
        "atc_code", "ATC 코드", "ATC code",
        "WHO 해부·치료·화학 분류(ATC) 코드.",
        T.TEXT, "7 characters, e.g. 'N02BE01'",
        ("ATC코드", "ATC", "atc_code", "atc_cd"),
    ),
    Term(
        "approval_date", "품목허가일자", "Approval date",
        "의약품 품목허가(신고)일.",
        T.DATE, "YYYY-MM-DD",
        ("허가일", "허가일자", "품목허가일", "품목허가일자", "approval_date", "permit_date",
         "item_permit_date"),
    ),
    Term(
        "medicine_status", "허가 상태", "Medicine status",
        "품목허가의 상태(정상, 취소, 취하).",
        T.CODE, CODE_LIST,
        ("허가상태", "취소취하구분", "취소/취하", "상태", "상태코드", "status", "status_code",
         "stts_cd", "cancel_name", "medicine_status"),
    ),
    Term(
        "substance_name_ko", "물질명(국문)", "Substance name (Korean)",
        "화학물질의 국문 명칭.",
        T.TEXT, "Hangul text",
        ("국문명", "물질명", "화학물질명", "국문물질명", "name_ko", "korean_name",
         "substance_name", "chem_nm_kor"),
    ),
    Term(
        "substance_name_en", "물질명(영문)", "Substance name (English)",
        "화학물질의 영문 명칭.",
        T.TEXT, "text",
        ("영문명", "영문물질명", "name_en", "english_name", "chem_nm_eng",
         "substance_name_en"),
    ),
    Term(
        "chemical_formula", "분자식", "Chemical formula",
        "화학물질의 분자식.",
        T.TEXT, "text, e.g. 'Cl2'",
        ("분자식", "화학식", "formula", "chemical_formula", "molecular_formula", "mlcl_fmla"),
    ),
    Term(
        "hazard_class", "유해화학물질 구분", "Hazard class",
        "화학물질관리법 제2조의 유해화학물질 구분.",
        T.CODE, CODE_LIST,
        ("유해화학물질구분", "물질구분", "유해성구분", "hazard_class", "hazard_category",
         "chem_se"),
    ),
    Term(
        "accident_threshold", "사고대비물질 수량기준", "Accident-preparedness threshold",
        "사고대비물질을 이 양 이상 취급하면 위해관리계획서를 내야 하는 기준(kg).",
        T.DECIMAL, "kilograms",
        ("수량기준", "지정수량", "규정수량", "threshold", "threshold_kg", "qty_threshold"),
    ),
    Term(
        "content_threshold", "함량기준", "Content threshold",
        "혼합물이 해당 물질로 관리되는 최소 함량(%).",
        T.DECIMAL, "percent by weight",
        ("함량기준", "함량", "content_threshold", "content_pct",
         "concentration_threshold"),
    ),
    Term(
        "notice_no", "고시번호", "Notice number",
        "물질을 지정한 고시의 번호.",
        T.TEXT, "text, e.g. '국립환경과학원고시 제2024-32호'",
        ("고시번호", "지정고시번호", "notice_no", "notification_no", "ntce_no"),
    ),
    Term(
        "designated_date", "지정일자", "Designated date",
        "물질이 지정(고시)된 날.",
        T.DATE, "YYYY-MM-DD",
        ("지정일", "지정일자", "고시일", "고시일자", "designated_date", "designation_date",
         "notice_date"),
    ),
    Term(
        "substance_status", "지정 상태", "Substance status",
        "유해화학물질 지정 상태(지정, 지정해제).",
        T.CODE, CODE_LIST,
        ("지정상태", "지정여부", "상태", "상태코드", "status", "status_code", "stts_cd",
         "substance_status"),
    ),
    # --- Farm businesses ---------------------------------------------------------------
    Term(
        "farm_name", "경영체명", "Farm name",
        "농업경영체(농장)의 이름.",
        T.TEXT, "text",
        ("농장명", "경영체명", "농가명", "농장이름", "farm_name", "farm_nm"),
    ),
    Term(
        "main_crop", "주작목", "Main crop",
        "농업경영체의 주된 품목군.",
        T.CODE, CODE_LIST,
        ("주작목", "주요품목", "주품목", "재배품목", "main_crop", "crop", "main_item",
         "main_prdlst"),
    ),
    Term(
        "farm_business_status", "경영체 상태", "Farm business status",
        "농업경영체 등록 상태(정상, 말소).",
        T.CODE, CODE_LIST,
        ("경영체상태", "등록상태", "상태", "상태코드", "status", "status_code", "stts_cd",
         "farm_business_status"),
    ),
    # --- Lifecycle ---------------------------------------------------------------------
    Term(
        "status_date", "상태변경일자", "Status date",
        "현재 상태가 시작된 날(사망일, 폐업일, 말소일 등).",
        T.DATE, "YYYY-MM-DD",
        ("상태변경일", "상태변경일자", "변동일", "변동일자", "변경일자", "status_date",
         "status_changed", "status_change_date", "change_date", "stts_chg_ymd"),
    ),
)

# fmt: on
TERMS: dict[str, Term] = {term.code: term for term in _TERMS}
"""Every standard term by code."""

if len(TERMS) != len(_TERMS):  # pragma: no cover - guards editing mistakes at import
    raise ValueError("duplicate term codes in the vocabulary")


# --- Code lists -----------------------------------------------------------------------

# fmt: off
ISO_3166_ALPHA3: tuple[str, ...] = (
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF",
    "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS",
    "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF",
    "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM", "CPV",
    "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM", "DZA",
    "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM",
    "GAB", "GBR", "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD",
    "GRL", "GTM", "GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN",
    "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JEY", "JOR", "JPN", "KAZ",
    "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE",
    "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX",
    "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS",
    "MWI", "MYS", "MYT", "NAM", "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL",
    "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI", "PRK",
    "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP",
    "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR",
    "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL",
    "TKM", "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "URY",
    "USA", "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM", "VUT", "WLF", "WSM", "YEM", "ZAF",
    "ZMB", "ZWE",
)
"""ISO 3166-1 alpha-3 country codes (249)."""
# fmt: on

ICAO_NON_STATE_CODES: dict[str, str] = {
    "XXA": "무국적자",
    "XXB": "난민(1951년 협약)",
    "XXC": "난민(기타)",
    "XXX": "국적 미상",
}
"""Nationality codes for stateless persons and refugees (ICAO Doc 9303 part 3)."""

CODE_LABELS: dict[str, dict[str, str]] = {
    "sex": {"M": "남", "F": "여"},
    "household_role": {"head": "세대주", "member": "세대원"},
    "resident_status": {
        "alive": "생존",
        "deceased": "사망",
        "emigrated": "국외이주",
        "residence_unknown": "거주불명",
    },
    # 출입국관리법 시행령 별표 1의2 (장기체류자격). A, B and C statuses (diplomats,
    # visa waiver, short stays) are exempt from foreigner registration (법 제31조).
    "visa_status": {
        "D-1": "문화예술",
        "D-2": "유학",
        "D-3": "기술연수",
        "D-4": "일반연수",
        "D-5": "취재",
        "D-6": "종교",
        "D-7": "주재",
        "D-8": "기업투자",
        "D-9": "무역경영",
        "D-10": "구직",
        "E-1": "교수",
        "E-2": "회화지도",
        "E-3": "연구",
        "E-4": "기술지도",
        "E-5": "전문직업",
        "E-6": "예술흥행",
        "E-7": "특정활동",
        "E-8": "계절근로",
        "E-9": "비전문취업",
        "E-10": "선원취업",
        "F-1": "방문동거",
        "F-2": "거주",
        "F-3": "동반",
        "F-4": "재외동포",
        "F-5": "영주",
        "F-6": "결혼이민",
        "G-1": "기타",
        "H-1": "관광취업",
        "H-2": "방문취업",
    },
    "foreign_resident_status": {
        "active": "체류중",
        "departed": "출국",
        "expired": "체류기간 만료",
        "deceased": "사망",
    },
    "address_status": {"active": "사용", "abolished": "폐지"},
    # 공간정보의 구축 및 관리 등에 관한 법률 제67조 (28 지목), in the Act's order.
    "land_category": {
        "dry_field": "전",
        "paddy": "답",
        "orchard": "과수원",
        "pasture": "목장용지",
        "forest": "임야",
        "mineral_spring": "광천지",
        "salt_field": "염전",
        "building_site": "대",
        "factory_site": "공장용지",
        "school_site": "학교용지",
        "parking_lot": "주차장",
        "gas_station_site": "주유소용지",
        "warehouse_site": "창고용지",
        "road": "도로",
        "railway_site": "철도용지",
        "embankment": "제방",
        "river": "하천",
        "ditch": "구거",
        "reservoir": "유지",
        "fish_farm": "양어장",
        "waterworks_site": "수도용지",
        "park": "공원",
        "sports_site": "체육용지",
        "recreation_site": "유원지",
        "religious_site": "종교용지",
        "historic_site": "사적지",
        "cemetery": "묘지",
        "miscellaneous": "잡종지",
    },
    # 국토의 계획 및 이용에 관한 법률 시행령 제30조 (21 용도지역).
    "use_zone": {
        "residential_exclusive_1": "제1종전용주거지역",
        "residential_exclusive_2": "제2종전용주거지역",
        "residential_general_1": "제1종일반주거지역",
        "residential_general_2": "제2종일반주거지역",
        "residential_general_3": "제3종일반주거지역",
        "residential_semi": "준주거지역",
        "commercial_central": "중심상업지역",
        "commercial_general": "일반상업지역",
        "commercial_neighbourhood": "근린상업지역",
        "commercial_distribution": "유통상업지역",
        "industrial_exclusive": "전용공업지역",
        "industrial_general": "일반공업지역",
        "industrial_semi": "준공업지역",
        "green_conservation": "보전녹지지역",
        "green_production": "생산녹지지역",
        "green_natural": "자연녹지지역",
        "management_conservation": "보전관리지역",
        "management_production": "생산관리지역",
        "management_planned": "계획관리지역",
        "agricultural_forest": "농림지역",
        "nature_conservation": "자연환경보전지역",
    },
    "owner_kind": {"resident": "개인", "corporation": "법인"},
    "parcel_status": {"active": "정상", "merged": "합병", "split": "분할", "closed": "폐쇄"},
    # 건축법 시행령 별표 1 (용도별 건축물의 종류), in the table's order.
    "main_use": {
        "detached_house": "단독주택",
        "multi_unit_house": "공동주택",
        "neighbourhood_facility_1": "제1종 근린생활시설",
        "neighbourhood_facility_2": "제2종 근린생활시설",
        "culture_assembly": "문화 및 집회시설",
        "religious": "종교시설",
        "sales": "판매시설",
        "transport": "운수시설",
        "medical": "의료시설",
        "education_research": "교육연구시설",
        "elderly_children": "노유자시설",
        "youth_training": "수련시설",
        "sports": "운동시설",
        "office": "업무시설",
        "lodging": "숙박시설",
        "amusement": "위락시설",
        "factory": "공장",
        "warehouse": "창고시설",
        "hazardous_storage": "위험물 저장 및 처리 시설",
        "vehicle_related": "자동차 관련 시설",
        "animal_plant": "동물 및 식물 관련 시설",
        "resource_recycling": "자원순환 관련 시설",
        "correctional": "교정시설",
        "military": "국방·군사시설",
        "broadcasting_telecom": "방송통신시설",
        "power_generation": "발전시설",
        "cemetery_related": "묘지 관련 시설",
        "tourist_rest": "관광 휴게시설",
        "funeral": "장례시설",
        "camping": "야영장 시설",
    },
    "building_structure": {
        "reinforced_concrete": "철근콘크리트구조",
        "steel_reinforced_concrete": "철골철근콘크리트구조",
        "steel": "철골구조",
        "light_steel": "경량철골구조",
        "precast_concrete": "프리캐스트콘크리트구조",
        "masonry": "조적구조",
        "wood": "목구조",
        "other": "기타구조",
    },
    "building_status": {"active": "현존", "demolished": "멸실"},
    "fuel_type": {
        "gasoline": "휘발유",
        "diesel": "경유",
        "lpg": "LPG",
        "cng": "CNG",
        "hybrid": "하이브리드",
        "electric": "전기",
        "hydrogen": "수소",
        "other": "기타",
    },
    "vehicle_type": {"passenger": "승용", "van": "승합", "truck": "화물", "special": "특수"},
    "vehicle_use": {"private": "자가용", "commercial": "영업용", "official": "관용"},
    "vehicle_status": {
        "registered": "등록",
        "scrapped": "폐차말소",
        "exported": "수출말소",
        "deregistered": "기타말소",
    },
    "corporation_kind": {
        "stock_company": "주식회사",
        "limited_company": "유한회사",
        "limited_liability_company": "유한책임회사",
        "limited_partnership": "합자회사",
        "general_partnership": "합명회사",
        "incorporated_association": "사단법인",
        "incorporated_foundation": "재단법인",
        "cooperative": "협동조합",
        "foreign_company": "외국회사",
    },
    "corporation_status": {
        "active": "존속",
        "dissolved": "해산",
        "liquidated": "청산종결",
        "merged": "합병해산",
    },
    "business_kind": {"individual": "개인사업자", "corporate": "법인사업자"},
    "tax_type": {
        "general": "일반과세자",
        "simplified": "간이과세자",
        "exempt": "면세사업자",
        "non_profit": "비영리법인·국가기관",
    },
    "business_status": {"active": "계속사업자", "suspended": "휴업자", "closed": "폐업자"},
    "insurance_kind": {
        "employment": "고용보험",
        "industrial_accident": "산재보험",
        "both": "고용·산재보험",
    },
    "workplace_status": {"active": "정상", "closed": "소멸"},
    # 도로교통법 제80조 제2항 (운전면허의 종류).
    "licence_kind": {
        "class1_large": "제1종 대형면허",
        "class1_ordinary": "제1종 보통면허",
        "class1_small": "제1종 소형면허",
        "class1_special_large_tractor": "제1종 특수면허(대형견인차)",
        "class1_special_small_tractor": "제1종 특수면허(소형견인차)",
        "class1_special_wrecker": "제1종 특수면허(구난차)",
        "class2_ordinary": "제2종 보통면허",
        "class2_small": "제2종 소형면허",
        "class2_moped": "제2종 원동기장치자전거면허",
        "learner_class1_ordinary": "제1종 보통연습면허",
        "learner_class2_ordinary": "제2종 보통연습면허",
    },
    "licence_status": {"valid": "유효", "suspended": "정지", "revoked": "취소", "expired": "실효"},
    "goods_unit": {
        "each": "개",
        "set": "세트",
        "box": "상자",
        "pack": "팩",
        "pair": "켤레",
        "sheet": "매",
        "roll": "롤",
        "g": "그램",
        "kg": "킬로그램",
        "ton": "톤",
        "ml": "밀리리터",
        "l": "리터",
        "m": "미터",
        "m2": "제곱미터",
        "m3": "세제곱미터",
    },
    "goods_status": {"active": "사용", "discontinued": "사용중지"},
    "dosage_form": {
        "tablet": "정제",
        "capsule": "캡슐제",
        "granule": "과립제",
        "powder": "산제",
        "syrup": "시럽제",
        "liquid": "액제",
        "injection": "주사제",
        "ointment": "연고제",
        "cream": "크림제",
        "gel": "겔제",
        "patch": "첩부제",
        "suppository": "좌제",
        "eye_drops": "점안제",
        "inhalant": "흡입제",
        "other": "기타",
    },
    "otc_kind": {"prescription": "전문의약품", "otc": "일반의약품"},
    "medicine_status": {"approved": "정상", "cancelled": "취소", "withdrawn": "취하"},
    # 화학물질관리법 제2조. The 2024 amendment (in force 2025-08-07) replaces 유독물질
    # with three classes by hazard; both are listed while sources migrate.
    "hazard_class": {
        "toxic": "유독물질",
        "acute_human_toxic": "인체급성유해성물질",
        "chronic_human_toxic": "인체만성유해성물질",
        "ecotoxic": "생태유해성물질",
        "permitted": "허가물질",
        "restricted": "제한물질",
        "prohibited": "금지물질",
        "accident_precaution": "사고대비물질",
    },
    "substance_status": {"designated": "지정", "delisted": "지정해제"},
    "main_crop": {
        "rice": "미곡",
        "food_crops": "식량작물(맥류·두류·서류·잡곡)",
        "vegetables": "채소",
        "fruit": "과수",
        "special_crops": "특용작물",
        "flowers": "화훼",
        "mushrooms": "버섯",
        "forest_products": "임산물",
        "livestock": "축산",
        "other": "기타",
    },
    "farm_business_status": {"active": "정상", "cancelled": "말소"},
}
"""Closed code lists by term code: code -> Korean label."""

_UNLABELLED_CODE_LISTS: dict[str, tuple[str, ...]] = {
    "nationality": ISO_3166_ALPHA3 + tuple(ICAO_NON_STATE_CODES),
}


def codes(term: str) -> tuple[str, ...]:
    """The closed code list of a ``CODE`` term, in its standard order."""
    if term in CODE_LABELS:
        return tuple(CODE_LABELS[term])
    if term in _UNLABELLED_CODE_LISTS:
        return _UNLABELLED_CODE_LISTS[term]
    raise KeyError(f"term {term!r} has no code list")


def terms_for_label(label: str) -> tuple[str, ...]:
    """Codes of the terms whose code, names or synonyms match a column name."""
    wanted = normalise_label(label)
    return tuple(term.code for term in _TERMS if wanted in _labels(term))


def _labels(term: Term) -> set[str]:
    return {normalise_label(s) for s in (term.code, term.name_ko, term.name_en, *term.synonyms)}

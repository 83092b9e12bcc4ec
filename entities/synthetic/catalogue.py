"""Catalogues for synthetic data: industries, foreign names, vehicles, goods, medicines, chemicals.

Plain data with just enough structure for vectorised sampling. Real where it is
public and checkable (KSIC-style industry codes, vehicle makes and models sold
in Korea, WMIs, WHO ATC codes and ingredient names, CAS numbers, UN numbers and
formulas of designated chemicals); composed where realism needs no real
counterpart (trade names, model numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

# ------------------------------------------------------------------- industries


@dataclass(frozen=True)
class Industry:
    """An industry of individual businesses with its trade-name patterns.

    A pattern is (prefix, slot, suffix): the trade name is prefix + a stem (slot
    ``stem``) or a surname (slot ``surname``) + suffix, so names compose with
    vectorised string concatenation.
    """

    ksic: str
    label: str
    weight: float
    patterns: tuple[tuple[str, str, str], ...]
    site: str = "shop"  # address kind the business usually sits at: shop, house, office, factory
    maker: bool = False  # manufactures goods (a goods maker candidate)


def _p(*patterns: str) -> tuple[tuple[str, str, str], ...]:
    """'{stem}식당' -> ('', 'stem', '식당'); '{surname}내과의원' -> ('', 'surname', ...)."""
    out = []
    for pattern in patterns:
        slot = "surname" if "{surname}" in pattern else "stem"
        prefix, _, suffix = pattern.partition("{" + slot + "}")
        out.append((prefix, slot, suffix))
    return tuple(out)


INDIVIDUAL_INDUSTRIES: tuple[Industry, ...] = (
    Industry("56111", "한식 일반 음식점업", 9.0,
             _p("{stem}식당", "{stem}국밥", "{stem}한정식", "{surname}가네 밥상", "{stem}해장국",
                "{stem}순대국", "{stem}백반")),
    Industry("56112", "한식 면 요리 전문점", 1.5, _p("{stem}냉면", "{stem}국수", "{stem}칼국수")),
    Industry("56113", "한식 육류 요리 전문점", 2.5,
             _p("{stem}삼겹살", "{stem}숯불갈비", "{stem}정육식당", "{stem}갈비")),
    Industry("56114", "한식 해산물 요리 전문점", 1.0,
             _p("{stem}횟집", "{stem}수산", "{stem}아구찜")),
    Industry("56121", "중식 음식점업", 1.5, _p("{stem}반점", "{stem}각", "{stem}루", "{stem}짬뽕")),
    Industry("56122", "일식 음식점업", 1.0, _p("{stem}스시", "{stem}초밥", "{stem}돈까스")),
    Industry("56123", "서양식 음식점업", 0.8,
             _p("{stem} 파스타", "{stem} 키친", "{stem} 비스트로")),
    Industry("56191", "제과점업", 0.8, _p("{stem}베이커리", "{stem}제과", "{stem}빵집")),
    Industry("56192", "피자, 햄버거 및 샌드위치 전문점", 0.6, _p("{stem}피자", "{stem}버거")),
    Industry("56193", "치킨 전문점", 2.0, _p("{stem}치킨", "{stem}통닭")),
    Industry("56221", "커피 전문점", 3.0, _p("카페 {stem}", "{stem}커피", "{stem} 로스터리")),
    Industry("56219", "기타 주점업", 1.5, _p("{stem}포차", "{stem}호프", "{stem}주막")),
    Industry("47121", "슈퍼마켓", 1.5, _p("{stem}마트", "{stem}슈퍼")),
    Industry("47122", "체인화 편의점", 1.5,
             _p("CU {stem}점", "GS25 {stem}점", "세븐일레븐 {stem}점", "이마트24 {stem}점")),
    Industry("47811", "의약품 및 의료용품 소매업", 0.7, _p("{stem}약국", "{surname}약국")),
    Industry("47813", "화장품, 비누 및 방향제 소매업", 0.8, _p("{stem}코스메틱", "{stem}뷰티")),
    Industry("47419", "기타 의복 소매업", 1.5, _p("{stem}패션", "{stem}부티크", "{stem}의류")),
    Industry("96112", "두발 미용업", 3.0, _p("{stem}헤어", "헤어살롱 {stem}", "{stem}미용실")),
    Industry("96113", "피부 미용업", 1.0, _p("{stem}스킨케어", "{stem}에스테틱")),
    Industry("68111", "주거용 건물 임대업", 6.0,
             _p("{stem}하우스", "{stem}빌", "{stem}주택", "{stem}원룸"), site="house"),
    Industry("68112", "비주거용 건물 임대업", 3.0, _p("{stem}빌딩", "{stem}상가")),
    Industry("68221", "부동산 중개 및 대리업", 2.0,
             _p("{stem}공인중개사사무소", "{stem}부동산", "{stem}공인중개사")),
    Industry("47912", "전자상거래 소매업", 6.0,
             _p("{stem}샵", "{stem}몰", "{stem}스토어", "{stem}마켓"), site="house"),
    Industry("49301", "일반 화물자동차 운송업", 3.0,
             _p("{stem}운수", "{stem}물류", "{stem}화물"), site="house"),
    Industry("49302", "용달 화물자동차 운송업", 1.0, _p("{stem}용달", "{stem}익스프레스"),
             site="house"),
    Industry("49231", "택시 운송업", 2.0, _p("개인택시 {stem}", "{stem}택시"), site="house"),
    Industry("85501", "일반 교과 학원", 2.0,
             _p("{stem}수학학원", "{stem}영어학원", "{stem}학원", "{stem}공부방")),
    Industry("86201", "일반 의원", 0.8,
             _p("{surname}내과의원", "{stem}가정의학과의원", "{stem}정형외과의원",
                "{stem}소아청소년과의원")),
    Industry("86202", "치과 의원", 0.4, _p("{stem}치과의원", "{surname}치과의원")),
    Industry("86203", "한의원", 0.4, _p("{stem}한의원")),
    Industry("95211", "자동차 종합 수리업", 0.8,
             _p("{stem}카센터", "{stem}모터스", "{stem}공업사")),
    Industry("42411", "실내 건축 및 건축 마무리 공사업", 1.2, _p("{stem}인테리어", "{stem}디자인")),
    Industry("71212", "세무사업", 0.3, _p("{stem}세무회계", "{stem}세무사사무소"), site="office"),
    Industry("73209", "기타 전문 디자인업", 0.6, _p("{stem}디자인", "스튜디오 {stem}"),
             site="office"),
    Industry("62010", "컴퓨터 프로그래밍 서비스업", 0.8, _p("{stem}소프트", "{stem}랩"),
             site="office"),
    Industry("25999", "그 외 기타 분류 안된 금속 가공 제품 제조업", 0.6,
             _p("{stem}금속", "{stem}정밀"), site="factory", maker=True),
    Industry("29199", "그 외 기타 일반 목적용 기계 제조업", 0.4,
             _p("{stem}기계", "{stem}테크"), site="factory", maker=True),
    Industry("22299", "기타 플라스틱 제품 제조업", 0.4,
             _p("{stem}플라스틱", "{stem}산업"), site="factory", maker=True),
    Industry("32021", "사무 및 상업용 가구 제조업", 0.3,
             _p("{stem}가구", "{stem}퍼니처"), site="factory", maker=True),
    Industry("10799", "그 외 기타 식료품 제조업", 0.4,
             _p("{stem}식품", "{stem}푸드"), site="factory", maker=True),
)  # fmt: skip
"""Industries of individual businesses (개인사업자) with relative weights."""

#: KSIC code of corporations by the industry word of their name.
CORPORATION_WORD_KSIC: dict[str, str] = {
    "전자": "26299", "건설": "41121", "산업": "46800", "물산": "46800", "테크": "58222",
    "엔지니어링": "72129", "푸드": "10799", "바이오": "21102", "시스템": "62021",
    "솔루션": "58222", "유통": "46800", "상사": "46800", "개발": "68121", "에너지": "35113",
    "화학": "20499", "정밀": "27219", "모빌리티": "30399", "로지스틱스": "49301",
    "소프트": "58222", "네트웍스": "61220", "디자인": "73209", "컨설팅": "71531",
    "인터내셔널": "46800", "홀딩스": "71511", "금속": "25999", "기계": "29199",
    "플라스틱": "22299", "섬유": "13999", "제지": "17909", "인쇄": "18119", "환경": "38210",
    "의료기": "27199", "통신": "61220", "종합건설": "41121", "토건": "41121", "건축": "41121",
    "인테리어": "42411", "미디어": "59111", "엔터테인먼트": "59111", "교육": "85501",
    "관광": "75210", "레저": "91139", "물류": "49301", "무역": "46800", "식품": "10799",
    "자동차": "30399", "부품": "30399", "조선": "31111", "전기": "28121", "설비": "42321",
    "산전": "28121", "이엔씨": "41121", "가구": "32021", "광학": "27219", "케미칼": "20499",
    "하이텍": "29199", "인더스트리": "29199", "머티리얼즈": "20499", "메디칼": "27199",
    "제약": "21210", "약품": "21210", "바이오팜": "21210", "팜": "21210", "신약": "21210",
    "메디팜": "21210",
}  # fmt: skip
NON_PROFIT_KSIC = "94990"  # 그 외 기타 협회 및 단체
COOPERATIVE_KSIC = "46800"

# ---------------------------------------------------------------- foreign names

#: Nationality -> (surnames, given names), each (romanised, Hangul transcription).
_NAME_POOLS: dict[str, str] = {
    "CHN": "WANG:왕 LI:리 ZHANG:장 LIU:류 CHEN:천 YANG:양 ZHAO:자오 HUANG:황 ZHOU:저우 WU:우 "
    "JIN:김 PIAO:박 CUI:최 ZHENG:정|WEI:웨이 FANG:팡 NA:나 MIN:민 JING:징 LEI:레이 YAN:옌 "
    "JUN:쥔 HUI:후이 XIUYING:슈잉 CHUNHUA:춘화 YONGZHE:영철 MEILING:미령 HAIYAN:해연 "
    "GUANGZHU:광주 XIAOMEI:샤오메이",
    "VNM": "NGUYEN:응우옌 TRAN:쩐 LE:레 PHAM:팜 HOANG:호앙 HUYNH:후인 PHAN:판 VU:부 VO:보 "
    "DANG:당 BUI:부이 DO:도|ANH:아인 HUNG:흥 LAN:란 HUONG:흐엉 MAI:마이 NAM:남 TUAN:뚜언 "
    "HANG:항 DUNG:중 HOA:호아 LINH:린 TRANG:짱 THAO:타오 PHUONG:프엉 HAI:하이 LONG:롱 SON:선 "
    "KHANH:카인 QUYNH:꾸인 TAM:땀",
    "SOUTH_ASIA": "KUMAR:쿠마르 PERERA:페레라 HOSSAIN:호세인 RAHMAN:라흐만 KHAN:칸 ALI:알리 "
    "SINGH:싱 GURUNG:구룽 TAMANG:타망 SHRESTHA:슈레스타 RAI:라이 THAPA:타파 "
    "FERNANDO:페르난도 SILVA:실바|MOHAMMAD:모하마드 NIMAL:니말 KASUN:카순 RAJU:라주 "
    "HASAN:하산 FATIMA:파티마 RAM:람 BIKASH:비카스 SUNIL:수닐 ANIL:아닐 SITA:시타 "
    "PRAKASH:프라카스 RAJESH:라제스 CHAMARA:차마라",
    "SOUTHEAST_ASIA": "SOK:속 CHAN:찬 HENG:헹 VANN:완 AUNG:아웅 SAPUTRA:사푸트라 "
    "WIJAYA:위자야 PRATAMA:프라타마 HIDAYAT:히다야트 SRISUK:스리숙 WONGSA:웡사 BOONMA:분마 "
    "SANTOS:산토스 REYES:레예스 CRUZ:크루스 BAUTISTA:바우티스타 MENDOZA:멘도사|"
    "DARA:다라 SOPHEA:소피아 VISAL:비살 SREY:스레이 PISETH:피셋 ZAW:조 AGUS:아구스 "
    "BUDI:부디 DEWI:데위 RIZKY:리즈키 SOMCHAI:솜차이 SUDA:수다 NIRAN:니란 MARIA:마리아 "
    "JOSE:호세 MARK:마크 JOY:조이 CRISTINA:크리스티나",
    "CENTRAL_ASIA": "KARIMOV:카리모프 RASHIDOV:라시도프 YUSUPOV:유수포프 ABDULLAEV:압둘라예프 "
    "TURSUNOV:투르수노프 PAK:박 KIM:김 TSOY:최 IVANOV:이바노프 GANBOLD:간볼드 "
    "ENKHBAYAR:엥흐바야르 BATBAYAR:바트바야르|SARDOR:사르도르 AZIZ:아지즈 JASUR:자수르 "
    "DILNOZA:딜노자 BOBUR:보부르 ALEKSANDR:알렉산드르 SERGEI:세르게이 OLGA:올가 "
    "NATALIA:나탈리아 VIKTOR:빅토르 TUUL:토올 ANAR:아나르 BOLD:볼드 SARNAI:사르나이",
    "JPN": "SATO:사토 SUZUKI:스즈키 TAKAHASHI:다카하시 TANAKA:다나카 WATANABE:와타나베 "
    "ITO:이토 YAMAMOTO:야마모토 NAKAMURA:나카무라|HIROSHI:히로시 YUKI:유키 KENJI:겐지 "
    "AYAKO:아야코 TAKESHI:다케시 YUMI:유미 NAOKI:나오키 MIKI:미키",
    "WEST": "SMITH:스미스 JOHNSON:존슨 WILLIAMS:윌리엄스 BROWN:브라운 JONES:존스 "
    "MILLER:밀러 DAVIS:데이비스 WILSON:윌슨 TAYLOR:테일러 ANDERSON:앤더슨 MARTIN:마틴 "
    "MULLER:뮐러 DUBOIS:뒤부아|JOHN:존 MICHAEL:마이클 DAVID:데이비드 JAMES:제임스 "
    "SARAH:세라 JENNIFER:제니퍼 EMILY:에밀리 DANIEL:대니얼 JESSICA:제시카 CHRIS:크리스 "
    "THOMAS:토마스 ANNA:안나",
}


def _pool(spec: str) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    def parse(part: str) -> tuple[tuple[str, str], ...]:
        # 'VAN ANH:반아인': words without a colon belong to the next word's name
        pairs: list[tuple[str, str]] = []
        roman: list[str] = []
        for token in part.split():
            if ":" in token:
                left, hangul = token.split(":")
                pairs.append((" ".join([*roman, left]), hangul))
                roman = []
            else:
                roman.append(token)
        return tuple(pairs)

    surnames, given = spec.split("|")
    return parse(surnames), parse(given)


NAME_POOLS: dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {
    group: _pool(spec) for group, spec in _NAME_POOLS.items()
}
"""Name group -> (surnames, given names) as (romanised, Hangul) pairs."""

#: Vietnamese middle names (tên đệm), between surname and given name.
VIETNAMESE_MIDDLE: tuple[tuple[str, str], ...] = (
    ("VAN", "반"), ("THI", "티"), ("DUC", "득"), ("MINH", "민"), ("NGOC", "응옥"),
    ("HOANG", "호앙"), ("QUANG", "꽝"), ("THANH", "타인"),
)  # fmt: skip

#: Name group -> (share of names with a second given name, joiner of the two): double
#: Chinese given names are written as one word (WEIFANG), western middle names apart.
SECOND_GIVEN: dict[str, tuple[float, str]] = {
    "CHN": (0.5, ""), "SOUTH_ASIA": (0.4, " "), "SOUTHEAST_ASIA": (0.4, " "),
    "CENTRAL_ASIA": (0.3, " "), "JPN": (0.0, ""), "WEST": (0.5, " "), "VNM": (0.0, ""),
}  # fmt: skip


@dataclass(frozen=True)
class Nationality:
    code: str  # ISO 3166-1 alpha-3
    share: float  # share of registered foreigners
    names: str  # key of NAME_POOLS
    visas: str  # key of VISA_MIXES


NATIONALITIES: tuple[Nationality, ...] = (
    Nationality("CHN", 0.30, "CHN", "CHN"), Nationality("VNM", 0.17, "VNM", "VNM"),
    Nationality("UZB", 0.05, "CENTRAL_ASIA", "EPS"), Nationality("NPL", 0.045, "SOUTH_ASIA", "EPS"),
    Nationality("KHM", 0.035, "SOUTHEAST_ASIA", "EPS"),
    Nationality("IDN", 0.035, "SOUTHEAST_ASIA", "EPS"),
    Nationality("PHL", 0.03, "SOUTHEAST_ASIA", "EPS"),
    Nationality("THA", 0.03, "SOUTHEAST_ASIA", "EPS"),
    Nationality("MNG", 0.025, "CENTRAL_ASIA", "EPS"), Nationality("USA", 0.025, "WEST", "WEST"),
    Nationality("RUS", 0.02, "CENTRAL_ASIA", "DIASPORA"),
    Nationality("KAZ", 0.02, "CENTRAL_ASIA", "DIASPORA"),
    Nationality("MMR", 0.025, "SOUTHEAST_ASIA", "EPS"),
    Nationality("LKA", 0.02, "SOUTH_ASIA", "EPS"), Nationality("BGD", 0.015, "SOUTH_ASIA", "EPS"),
    Nationality("KGZ", 0.01, "CENTRAL_ASIA", "EPS"), Nationality("PAK", 0.01, "SOUTH_ASIA", "EPS"),
    Nationality("JPN", 0.015, "JPN", "PROFESSIONAL"),
    Nationality("IND", 0.012, "SOUTH_ASIA", "WEST"),
    Nationality("CAN", 0.01, "WEST", "WEST"), Nationality("TWN", 0.008, "CHN", "PROFESSIONAL"),
    Nationality("GBR", 0.004, "WEST", "WEST"), Nationality("AUS", 0.004, "WEST", "WEST"),
    Nationality("FRA", 0.003, "WEST", "PROFESSIONAL"),
    Nationality("DEU", 0.003, "WEST", "PROFESSIONAL"),
    Nationality("LAO", 0.008, "SOUTHEAST_ASIA", "EPS"),
    Nationality("TLS", 0.006, "SOUTHEAST_ASIA", "EPS"),
)  # fmt: skip
"""Main nationalities of registered foreigners (법무부 통계월보, rounded)."""
OTHER_NATIONALITY_SHARE = 0.03  # the rest: any other code, western name pool

#: Sojourn-status mixes (체류자격 -> weight) by nationality group.
VISA_MIXES: dict[str, dict[str, float]] = {
    "CHN": {"F-4": 30, "F-5": 18, "H-2": 12, "D-2": 12, "F-6": 8, "E-9": 2, "F-1": 5,
            "E-7": 4, "D-4": 5, "F-2": 4},
    "VNM": {"E-9": 35, "D-2": 15, "F-6": 15, "E-7": 8, "D-4": 7, "F-5": 5, "E-8": 5, "F-2": 5,
            "F-1": 5},
    "EPS": {"E-9": 65, "E-8": 8, "D-2": 7, "F-6": 6, "E-7": 4, "H-2": 3, "D-4": 4, "F-1": 3},
    "WEST": {"E-2": 25, "F-4": 20, "D-2": 12, "F-5": 10, "F-6": 8, "E-1": 6, "E-7": 7, "F-3": 5,
             "D-8": 3, "D-7": 4},
    "DIASPORA": {"F-4": 30, "H-2": 25, "F-1": 10, "D-2": 10, "F-5": 10, "E-7": 5, "F-6": 5,
                 "D-4": 5},
    "PROFESSIONAL": {"F-6": 25, "D-2": 15, "E-7": 15, "F-5": 15, "D-8": 8, "E-2": 7, "D-7": 8,
                     "F-3": 7},
}  # fmt: skip

# ---------------------------------------------------------------------- vehicles


@dataclass(frozen=True)
class VehicleModel:
    make: str
    model: str
    vehicle_type: str  # passenger, van, truck, special
    first_year: int
    last_year: int
    share: float  # relative share of registrations
    fuels: tuple[tuple[str, float], ...]
    wmi: str
    old_make: str = ""  # make as registered before ``renamed``
    renamed: int = 0


def _fuels(spec: str) -> tuple[tuple[str, float], ...]:
    return tuple((f, float(w)) for f, w in (item.split(":") for item in spec.split()))


_VEHICLE_TABLE = """
현대|아반떼|passenger|1995|2026|6|gasoline:75 hybrid:15 lpg:10|KMH
현대|쏘나타|passenger|1985|2026|6|gasoline:55 lpg:25 hybrid:20|KMH
현대|그랜저|passenger|1986|2026|6|gasoline:50 hybrid:35 lpg:15|KMH
현대|캐스퍼|passenger|2021|2026|1.5|gasoline:85 electric:15|KMH
현대|코나|passenger|2017|2026|1.5|gasoline:55 hybrid:25 electric:20|KMH
현대|투싼|passenger|2004|2026|2.5|gasoline:40 diesel:35 hybrid:25|KMH
현대|싼타페|passenger|2000|2026|3.5|diesel:55 gasoline:20 hybrid:25|KMH
현대|팰리세이드|passenger|2018|2026|2|diesel:50 gasoline:50|KMH
현대|아이오닉 5|passenger|2021|2026|1|electric:1|KMH
현대|아이오닉 6|passenger|2022|2026|0.4|electric:1|KMH
현대|베뉴|passenger|2019|2026|0.4|gasoline:1|KMH
현대|넥쏘|passenger|2018|2026|0.2|hydrogen:1|KMH
현대|스타리아|van|2021|2026|1|diesel:60 lpg:40|KMH
현대|그랜드 스타렉스|van|2007|2021|2|diesel:70 lpg:30|KMH
현대|카운티|van|1998|2026|0.3|diesel:1|KMF
현대|포터2|truck|2004|2026|5|diesel:80 electric:15 lpg:5|KMF
현대|마이티|truck|1998|2026|0.5|diesel:1|KMF
현대|엑시언트|truck|2013|2026|0.3|diesel:1|KMF
현대|엑시언트 트랙터|special|2013|2026|0.1|diesel:1|KMF
기아|모닝|passenger|2004|2026|3|gasoline:95 lpg:5|KNA
기아|레이|passenger|2011|2026|1.5|gasoline:80 electric:10 lpg:10|KNA
기아|K3|passenger|2012|2024|1.5|gasoline:1|KNA
기아|K5|passenger|2010|2026|3|gasoline:50 lpg:25 hybrid:25|KNA
기아|K8|passenger|2021|2026|1.5|gasoline:50 hybrid:40 lpg:10|KNA
기아|K9|passenger|2012|2026|0.3|gasoline:1|KNA
기아|셀토스|passenger|2019|2026|1.2|gasoline:85 diesel:15|KNA
기아|니로|passenger|2016|2026|0.8|hybrid:80 electric:20|KNA
기아|스포티지|passenger|1993|2026|2.5|diesel:40 gasoline:35 hybrid:25|KNA
기아|쏘렌토|passenger|2002|2026|3.5|diesel:45 hybrid:40 gasoline:15|KNA
기아|모하비|passenger|2008|2024|0.5|diesel:1|KNA
기아|카니발|passenger|1998|2026|3|diesel:55 gasoline:25 hybrid:20|KNA
기아|EV6|passenger|2021|2026|0.5|electric:1|KNA
기아|EV3|passenger|2024|2026|0.3|electric:1|KNA
기아|EV9|passenger|2023|2026|0.1|electric:1|KNA
기아|프라이드|passenger|2000|2017|0.8|gasoline:1|KNA
기아|봉고3|truck|2004|2026|3.5|diesel:80 lpg:10 electric:10|KNC
제네시스|G70|passenger|2017|2026|0.5|gasoline:1|KMT
제네시스|G80|passenger|2016|2026|2|gasoline:90 electric:10|KMT
제네시스|G90|passenger|2019|2026|0.5|gasoline:1|KMT
제네시스|GV60|passenger|2021|2026|0.2|electric:1|KMT
제네시스|GV70|passenger|2020|2026|0.8|gasoline:80 diesel:10 electric:10|KMT
제네시스|GV80|passenger|2020|2026|1|gasoline:70 diesel:30|KMT
KGM|티볼리|passenger|2015|2026|1.2|gasoline:80 diesel:20|KPT|쌍용|2023
KGM|코란도|passenger|1996|2026|0.8|diesel:60 gasoline:40|KPT|쌍용|2023
KGM|토레스|passenger|2022|2026|0.8|gasoline:85 electric:15|KPT|쌍용|2023
KGM|렉스턴|passenger|2001|2026|0.8|diesel:1|KPT|쌍용|2023
KGM|렉스턴 스포츠|truck|2018|2026|1|diesel:1|KPT|쌍용|2023
르노코리아|SM6|passenger|2016|2026|0.8|gasoline:70 lpg:30|KNM|르노삼성|2022
르노코리아|QM6|passenger|2016|2026|1.5|lpg:55 gasoline:40 diesel:5|KNM|르노삼성|2022
르노코리아|XM3|passenger|2020|2024|0.6|gasoline:1|KNM|르노삼성|2022
르노코리아|SM5|passenger|1998|2019|1|gasoline:50 lpg:50|KNM|르노삼성|2022
르노코리아|그랑 콜레오스|passenger|2024|2026|0.3|hybrid:60 gasoline:40|KNM
쉐보레|스파크|passenger|2011|2022|1.5|gasoline:1|KL1
쉐보레|말리부|passenger|2011|2024|0.8|gasoline:1|KL1
쉐보레|트랙스|passenger|2013|2026|0.8|gasoline:1|KL1
쉐보레|트레일블레이저|passenger|2020|2026|0.8|gasoline:1|KL1
GM대우|마티즈|passenger|1998|2010|1|gasoline:1|KLA
GM대우|라세티|passenger|2002|2011|0.3|gasoline:1|KLA
타타대우|프리마|truck|2004|2026|0.15|diesel:1|KLT
BMW|520i|passenger|2000|2026|1.2|gasoline:80 hybrid:10 diesel:10|WBA
BMW|320i|passenger|2000|2026|0.6|gasoline:1|WBA
BMW|X3|passenger|2004|2026|0.5|gasoline:70 diesel:30|WBA
BMW|X5|passenger|2000|2026|0.5|gasoline:60 diesel:20 hybrid:20|WBA
벤츠|E 300|passenger|2009|2026|1.3|gasoline:85 diesel:15|W1K
벤츠|C 200|passenger|2007|2026|0.5|gasoline:1|W1K
벤츠|S 500|passenger|2005|2026|0.3|gasoline:1|W1K
벤츠|GLC 300|passenger|2016|2026|0.5|gasoline:1|W1K
아우디|A6|passenger|2005|2026|0.5|gasoline:60 diesel:40|WAU
폭스바겐|티구안|passenger|2008|2026|0.4|diesel:70 gasoline:30|WVG
폭스바겐|골프|passenger|2005|2026|0.2|gasoline:50 diesel:50|WVW
볼보|XC60|passenger|2009|2026|0.4|gasoline:70 hybrid:30|YV1
볼보|XC90|passenger|2004|2026|0.2|gasoline:60 hybrid:40|YV1
토요타|캠리|passenger|2009|2026|0.3|hybrid:80 gasoline:20|JTN
토요타|RAV4|passenger|2013|2026|0.2|hybrid:1|JTM
렉서스|ES300h|passenger|2013|2026|0.4|hybrid:1|JTH
혼다|어코드|passenger|2008|2026|0.2|hybrid:50 gasoline:50|JHM
테슬라|모델 3|passenger|2019|2026|0.4|electric:1|LRW
테슬라|모델 Y|passenger|2021|2026|0.6|electric:1|LRW
미니|쿠퍼|passenger|2005|2026|0.3|gasoline:1|WMW
포르쉐|카이엔|passenger|2005|2026|0.15|gasoline:70 hybrid:30|WP1
포드|익스플로러|passenger|2011|2026|0.15|gasoline:1|1FM
지프|랭글러|passenger|2010|2026|0.15|gasoline:1|1C4
"""


def _vehicles(table: str) -> tuple[VehicleModel, ...]:
    rows = []
    for line in table.strip().splitlines():
        make, model, kind, first, last, share, fuels, wmi, *old = line.split("|")
        rows.append(
            VehicleModel(
                make,
                model,
                kind,
                int(first),
                int(last),
                float(share),
                _fuels(fuels),
                wmi,
                old[0] if old else "",
                int(old[1]) if old else 0,
            )
        )
    return tuple(rows)


VEHICLE_MODELS: tuple[VehicleModel, ...] = _vehicles(_VEHICLE_TABLE)
"""Makes and models registered in Korea, with their shares, fuels and WMIs."""

# ------------------------------------------------------------------------- goods


@dataclass(frozen=True)
class GoodsClass:
    code: str  # 8-digit classification number
    name: str  # catalogue name (품명)
    unit: str  # goods_unit code
    price: int  # median unit price, KRW
    specs: tuple[tuple[str, ...], ...]  # alternatives per specification part
    prefix: str  # model-name prefix style


def _g(code: str, name: str, unit: str, price: int, prefix: str, *specs: str) -> GoodsClass:
    return GoodsClass(code, name, unit, price, tuple(tuple(s.split("/")) for s in specs), prefix)


GOODS_CLASSES: tuple[GoodsClass, ...] = (
    _g("43211503", "노트북컴퓨터", "each", 1_350_000, "NT",
       "14인치/15.6인치/16인치", "Intel Core i5/Intel Core i7/AMD Ryzen 5/AMD Ryzen 7",
       "16GB/32GB", "512GB SSD/1TB SSD"),
    _g("43211507", "데스크톱컴퓨터", "each", 980_000, "DB",
       "Intel Core i5/Intel Core i7/AMD Ryzen 5", "16GB/32GB", "512GB SSD/1TB SSD",
       "Windows 11 Pro/FreeDOS"),
    _g("43211902", "LCD모니터", "each", 240_000, "LM", "24인치/27인치/32인치",
       "1920x1080/2560x1440/3840x2160", "IPS/VA"),
    _g("43212105", "레이저프린터", "each", 420_000, "LP", "흑백/컬러", "A4/A3",
       "분당 30매/분당 40매/분당 50매"),
    _g("44101501", "복사기", "each", 5_200_000, "CP", "흑백/컬러", "A3", "분당 35매/분당 45매"),
    _g("45111616", "빔프로젝터", "each", 890_000, "PJ", "4000안시/5000안시/6000안시",
       "WXGA/WUXGA"),
    _g("52161505", "텔레비전", "each", 1_100_000, "TV", "55인치/65인치/75인치", "UHD/QLED/OLED"),
    _g("40101701", "에어컨", "each", 1_900_000, "AC", "스탠드형/벽걸이형/천장형",
       "냉방면적 56㎡/냉방면적 83㎡/냉방면적 145㎡"),
    _g("39111501", "LED조명기구", "each", 85_000, "LE", "평판형/직부형/매입형",
       "40W/50W/60W", "5700K/4000K"),
    _g("46171610", "CCTV카메라", "each", 320_000, "CC", "돔형/불릿형", "200만화소/500만화소",
       "IR 30m/IR 50m"),
    _g("46191601", "소화기", "each", 28_000, "FE", "분말/이산화탄소/강화액", "3.3kg/4.5kg"),
    _g("56101703", "사무용책상", "each", 310_000, "DK", "1200x700/1400x700/1600x800",
       "H720", "철제/목재"),
    _g("56101504", "사무용의자", "each", 165_000, "CH", "메쉬/패브릭/가죽", "팔걸이형/일반형"),
    _g("56101520", "서랍장", "each", 140_000, "DR", "3단/4단", "철제/목재"),
    _g("56121502", "학생용책상", "each", 98_000, "SD", "1인용/2인용", "높이조절형/고정형"),
    _g("56121506", "학생용의자", "each", 62_000, "SC", "1호/2호/3호/4호/5호/6호"),
    _g("44121701", "볼펜", "pack", 9_600, "BP", "0.5mm/0.7mm/1.0mm", "흑색/청색/적색",
       "12자루"),
    _g("14111507", "복사용지", "box", 26_000, "PA", "A4/A3", "75g/80g", "2500매"),
    _g("14111704", "화장지", "pack", 23_000, "TP", "3겹", "30m/35m", "30롤"),
    _g("47131502", "청소용걸레", "each", 7_500, "MP", "극세사/면", "400mm/600mm"),
    _g("47121702", "쓰레기통", "each", 21_000, "WB", "20L/50L/100L", "페달식/뚜껑식"),
    _g("26111702", "알칼라인건전지", "pack", 8_400, "BT", "AA/AAA", "1.5V", "10개입"),
    _g("42131713", "보건용마스크", "box", 18_000, "MK", "KF94/KF80", "대형/소형", "50매"),
    _g("30111601", "레미콘", "m3", 92_000, "RC", "25-24-150/25-30-150/25-35-150"),
    _g("30102205", "철근", "ton", 980_000, "SD", "SD400/SD500", "D10/D13/D16/D22"),
    _g("31211501", "페인트", "l", 9_800, "PT", "수성/유성", "백색/회색/녹색", "18L"),
    _g("30161701", "바닥타일", "m2", 24_000, "FT", "300x300/600x600", "포세린/데코"),
    _g("40142005", "소방호스", "each", 120_000, "FH", "40mm/65mm", "15m/20m"),
    _g("24111503", "마대", "pack", 15_000, "SB", "PP", "60x90cm/70x100cm", "100매"),
    _g("53102710", "근무복", "each", 48_000, "UW", "하계/동계", "S/M/L/XL"),
    _g("27112703", "전동드릴", "each", 160_000, "DD", "18V/12V", "브러시리스/브러시"),
    _g("41111604", "디지털저울", "each", 210_000, "SC", "30kg/60kg/150kg", "0.01kg/0.02kg"),
    _g("50202301", "생수", "box", 7_200, "WT", "500ml/2L", "20병/6병"),
    _g("43222609", "네트워크스위치", "each", 480_000, "SW", "24포트/48포트", "1G/10G",
       "L2/L3"),
    _g("43201803", "외장하드디스크", "each", 120_000, "HD", "1TB/2TB/4TB", "USB 3.0"),
    _g("43191501", "스마트폰", "each", 990_000, "SM", "128GB/256GB/512GB", "6.1인치/6.7인치"),
)  # fmt: skip
"""Goods classes of the procurement catalogue with units, prices and specifications."""

FOREIGN_MAKERS: tuple[str, ...] = (
    "HP Inc.", "Dell Technologies", "Lenovo", "Canon Inc.", "Seiko Epson", "3M Company",
    "Robert Bosch GmbH", "Siemens AG", "Signify", "Panasonic", "Sony Group", "Brother Industries",
    "FUJIFILM", "Xerox", "Cisco Systems", "Apple Inc.", "Logitech", "Honeywell", "ABB",
    "Schneider Electric", "Makita", "Stanley Black & Decker", "Kimberly-Clark", "Hikvision",
)  # fmt: skip

# --------------------------------------------------------------------- medicines


@dataclass(frozen=True)
class Ingredient:
    name: str  # Korean ingredient name
    strengths: tuple[str, ...]
    forms: tuple[str, ...]  # dosage_form codes
    atc: str
    otc: bool


def _i(name: str, strengths: str, forms: str, atc: str, otc: bool = False) -> Ingredient:
    return Ingredient(name, tuple(strengths.split()), tuple(forms.split()), atc, otc)


INGREDIENTS: tuple[Ingredient, ...] = (
    _i("아세트아미노펜", "160mg 325mg 500mg 650mg", "tablet syrup granule", "N02BE01", True),
    _i("이부프로펜", "200mg 400mg", "tablet capsule syrup", "M01AE01", True),
    _i("덱시부프로펜", "300mg", "tablet syrup", "M01AE14"),
    _i("나프록센", "250mg 500mg", "tablet", "M01AE02"),
    _i("아세클로페낙", "100mg 200mg", "tablet", "M01AB16"),
    _i("셀레콕시브", "100mg 200mg", "capsule", "M01AH01"),
    _i("디클로페낙나트륨", "25mg 1%", "tablet gel patch", "M01AB05", True),
    _i("케토프로펜", "30mg 2%", "patch gel", "M02AA10", True),
    _i("에페리손염산염", "50mg", "tablet", "M03BX09"),
    _i("트라마돌염산염", "50mg", "capsule tablet", "N02AX02"),
    _i("프레가발린", "75mg 150mg", "capsule", "N03AX16"),
    _i("가바펜틴", "300mg 800mg", "capsule tablet", "N03AX12"),
    _i("암로디핀베실산염", "2.5mg 5mg 10mg", "tablet", "C08CA01"),
    _i("로사르탄칼륨", "50mg 100mg", "tablet", "C09CA01"),
    _i("발사르탄", "80mg 160mg", "tablet", "C09CA03"),
    _i("텔미사르탄", "40mg 80mg", "tablet", "C09CA07"),
    _i("올메사르탄메독소밀", "20mg 40mg", "tablet", "C09CA08"),
    _i("아토르바스타틴칼슘", "10mg 20mg 40mg", "tablet", "C10AA05"),
    _i("로수바스타틴칼슘", "5mg 10mg 20mg", "tablet", "C10AA07"),
    _i("에제티미브", "10mg", "tablet", "C10AX09"),
    _i("아스피린", "100mg 500mg", "tablet", "B01AC06", True),
    _i("클로피도그렐황산수소염", "75mg", "tablet", "B01AC04"),
    _i("메트포르민염산염", "500mg 850mg 1000mg", "tablet", "A10BA02"),
    _i("글리메피리드", "1mg 2mg 4mg", "tablet", "A10BB12"),
    _i("시타글립틴인산염수화물", "50mg 100mg", "tablet", "A10BH01"),
    _i("엠파글리플로진", "10mg 25mg", "tablet", "A10BK03"),
    _i("다파글리플로진프로판디올수화물", "10mg", "tablet", "A10BK01"),
    _i("인슐린글라진", "100단위/mL", "injection", "A10AE04"),
    _i("오메프라졸", "20mg", "capsule", "A02BC01"),
    _i("에스오메프라졸마그네슘삼수화물", "20mg 40mg", "tablet", "A02BC05"),
    _i("란소프라졸", "15mg 30mg", "capsule", "A02BC03"),
    _i("파모티딘", "10mg 20mg", "tablet", "A02BA03", True),
    _i("레바미피드", "100mg", "tablet", "A02BX14"),
    _i("모사프리드시트르산염수화물", "5mg", "tablet", "A03FA"),
    _i("메토클로프라미드", "5mg 10mg", "tablet injection", "A03FA01"),
    _i("부틸스코폴라민브롬화물", "10mg", "tablet injection", "A03BB01", True),
    _i("로페라미드염산염", "2mg", "capsule", "A07DA03", True),
    _i("우르소데옥시콜산", "100mg 200mg 300mg", "tablet capsule", "A05AA02", True),
    _i("온단세트론", "4mg 8mg", "tablet injection", "A04AA01"),
    _i("레보세티리진염산염", "5mg", "tablet", "R06AE09"),
    _i("세티리진염산염", "10mg", "tablet syrup", "R06AE07", True),
    _i("로라타딘", "10mg", "tablet", "R06AX13", True),
    _i("펙소페나딘염산염", "120mg 180mg", "tablet", "R06AX26", True),
    _i("몬테루카스트나트륨", "4mg 5mg 10mg", "tablet granule", "R03DC03"),
    _i("살부타몰황산염", "100마이크로그램", "inhalant", "R03AC02"),
    _i("부데소니드", "200마이크로그램", "inhalant", "R03BA02"),
    _i("덱스트로메토르판브롬화수소산염수화물", "15mg", "tablet syrup", "R05DA09", True),
    _i("암브록솔염산염", "30mg", "tablet syrup", "R05CB06", True),
    _i("아세틸시스테인", "100mg 200mg 600mg", "capsule granule", "R05CB01", True),
    _i("카르보시스테인", "250mg 500mg", "tablet syrup", "R05CB03", True),
    _i("아목시실린수화물", "250mg 500mg", "capsule syrup", "J01CA04"),
    _i("아목시실린·클라불란산칼륨", "625mg", "tablet", "J01CR02"),
    _i("세파클러수화물", "250mg", "capsule syrup", "J01DC04"),
    _i("세픽심", "100mg", "capsule", "J01DD08"),
    _i("아지트로마이신수화물", "250mg", "tablet syrup", "J01FA10"),
    _i("클래리트로마이신", "250mg 500mg", "tablet", "J01FA09"),
    _i("레보플록사신수화물", "100mg 500mg", "tablet", "J01MA12"),
    _i("시프로플록사신염산염수화물", "250mg 500mg", "tablet", "J01MA02"),
    _i("세프트리악손나트륨", "1g 2g", "injection", "J01DD04"),
    _i("세파졸린나트륨", "1g", "injection", "J01DB04"),
    _i("반코마이신염산염", "500mg 1g", "injection", "J01XA01"),
    _i("플루코나졸", "50mg 150mg", "capsule", "J02AC01"),
    _i("아시클로버", "200mg 5%", "tablet cream", "J05AB01", True),
    _i("오셀타미비르인산염", "30mg 75mg", "capsule", "J05AH02"),
    _i("프레드니솔론", "5mg", "tablet", "H02AB06"),
    _i("덱사메타손", "0.5mg 5mg", "tablet injection", "H02AB02"),
    _i("메틸프레드니솔론", "4mg", "tablet", "H02AB04"),
    _i("레보티록신나트륨", "50마이크로그램 100마이크로그램", "tablet", "H03AA01"),
    _i("에스시탈로프람옥살산염", "10mg", "tablet", "N06AB10"),
    _i("설트랄린염산염", "50mg", "tablet", "N06AB06"),
    _i("졸피뎀타르타르산염", "10mg", "tablet", "N05CF02"),
    _i("알프라졸람", "0.25mg 0.5mg", "tablet", "N05BA12"),
    _i("도네페질염산염", "5mg 10mg", "tablet", "N06DA02"),
    _i("탐스로신염산염", "0.2mg", "capsule", "G04CA02"),
    _i("피나스테리드", "1mg 5mg", "tablet", "G04CB01"),
    _i("실데나필시트르산염", "50mg 100mg", "tablet", "G04BE03"),
    _i("타다라필", "5mg 20mg", "tablet", "G04BE08"),
    _i("라타노프로스트", "0.005%", "eye_drops", "S01EE01"),
    _i("히알루론산나트륨", "0.1% 0.18%", "eye_drops", "S01XA20", True),
    _i("오플록사신", "0.3%", "eye_drops", "S01AE01"),
    _i("포비돈요오드", "10%", "liquid", "D08AG02", True),
    _i("무피로신", "2%", "ointment", "D06AX09", True),
    _i("푸시드산나트륨", "2%", "ointment", "D06AX01", True),
    _i("히드로코르티손", "1%", "cream ointment", "D07AA02", True),
    _i("클로트리마졸", "1%", "cream", "D01AC01", True),
    _i("미녹시딜", "3% 5%", "liquid", "D11AX01", True),
    _i("니코틴", "14mg 21mg", "patch", "N07BA01", True),
    _i("리도카인염산염", "2%", "injection", "N01BB02"),
    _i("헤파린나트륨", "5000IU", "injection", "B01AB01"),
    _i("에녹사파린나트륨", "40mg", "injection", "B01AB05"),
    _i("비사코딜", "5mg 10mg", "tablet suppository", "A06AB02", True),
    _i("락툴로오스", "66.7%", "syrup", "A06AD11", True),
    _i("철분(푸마르산제일철)", "100mg", "tablet capsule", "B03AA02", True),
    _i("콜레칼시페롤", "1000IU", "tablet", "A11CC05", True),
)  # fmt: skip
"""Active ingredients with strengths, dosage forms, ATC codes and OTC status."""

#: Product-name ending per dosage form (정, 캡슐, 시럽 ...).
FORM_SUFFIX: dict[str, str] = {
    "tablet": "정", "capsule": "캡슐", "granule": "과립", "powder": "산", "syrup": "시럽",
    "liquid": "액", "injection": "주", "ointment": "연고", "cream": "크림", "gel": "겔",
    "patch": "패치", "suppository": "좌제", "eye_drops": "점안액", "inhalant": "흡입제",
    "other": "",
}  # fmt: skip
BRAND_ENDINGS: tuple[str, ...] = (
    "엠", "온", "텍", "큐", "린", "트", "나", "플러스", "원", "에스", "듀오", "펜", "졸", "탄",
    "로", "닌", "렉스", "티", "케어", "업",
)  # fmt: skip

# ----------------------------------------------------------- hazardous substances

# cas | Korean name | English name | formula | class | UN number
_SUBSTANCE_TABLE = """
7782-50-5|염소|Chlorine|Cl2|accident_precaution|1017
7664-41-7|암모니아|Ammonia|NH3|accident_precaution|1005
7647-01-0|염화수소|Hydrogen chloride|HCl|accident_precaution|1050
7664-39-3|불화수소|Hydrogen fluoride|HF|accident_precaution|1052
7664-93-9|황산|Sulfuric acid|H2SO4|accident_precaution|1830
7697-37-2|질산|Nitric acid|HNO3|accident_precaution|2031
1310-73-2|수산화나트륨|Sodium hydroxide|NaOH|toxic|1823
1310-58-3|수산화칼륨|Potassium hydroxide|KOH|toxic|1813
7722-84-1|과산화수소|Hydrogen peroxide|H2O2|accident_precaution|2014
67-56-1|메탄올|Methanol|CH4O|toxic|1230
71-43-2|벤젠|Benzene|C6H6|accident_precaution|1114
108-88-3|톨루엔|Toluene|C7H8|accident_precaution|1294
1330-20-7|자일렌|Xylene|C8H10|toxic|1307
100-41-4|에틸벤젠|Ethylbenzene|C8H10|toxic|1175
100-42-5|스티렌|Styrene|C8H8|toxic|2055
50-00-0|폼알데하이드|Formaldehyde|CH2O|accident_precaution|1198
75-07-0|아세트알데하이드|Acetaldehyde|C2H4O|toxic|1089
107-13-1|아크릴로니트릴|Acrylonitrile|C3H3N|accident_precaution|1093
74-90-8|시안화수소|Hydrogen cyanide|HCN|accident_precaution|1051
143-33-9|시안화나트륨|Sodium cyanide|NaCN|accident_precaution|1689
151-50-8|시안화칼륨|Potassium cyanide|KCN|accident_precaution|1680
75-44-5|포스겐|Phosgene|CCl2O|accident_precaution|1076
7783-06-4|황화수소|Hydrogen sulfide|H2S|accident_precaution|1053
10102-44-0|이산화질소|Nitrogen dioxide|NO2|toxic|1067
7446-09-5|이산화황|Sulfur dioxide|SO2|accident_precaution|1079
630-08-0|일산화탄소|Carbon monoxide|CO|toxic|1016
7803-51-2|포스핀|Phosphine|PH3|accident_precaution|2199
7784-42-1|아르신|Arsine|AsH3|accident_precaution|2188
7439-97-6|수은|Mercury|Hg|toxic|2809
7440-43-9|카드뮴|Cadmium|Cd|toxic|
7439-92-1|납|Lead|Pb|toxic|
7440-38-2|비소|Arsenic|As|toxic|1558
1333-82-0|삼산화크롬|Chromium trioxide|CrO3|toxic|1463
7778-50-9|중크롬산칼륨|Potassium dichromate|K2Cr2O7|toxic|3086
10588-01-9|중크롬산나트륨|Sodium dichromate|Na2Cr2O7|toxic|3086
7440-02-0|니켈|Nickel|Ni|toxic|
1332-21-4|석면|Asbestos||prohibited|2212
12001-28-4|크로시돌라이트|Crocidolite||prohibited|2212
1336-36-3|폴리클로리네이티드비페닐|Polychlorinated biphenyls||prohibited|2315
56-23-5|사염화탄소|Carbon tetrachloride|CCl4|restricted|1846
67-66-3|클로로포름|Chloroform|CHCl3|toxic|1888
75-09-2|디클로로메탄|Dichloromethane|CH2Cl2|toxic|1593
79-01-6|트리클로로에틸렌|Trichloroethylene|C2HCl3|restricted|1710
127-18-4|테트라클로로에틸렌|Tetrachloroethylene|C2Cl4|toxic|1897
107-06-2|1,2-디클로로에탄|1,2-Dichloroethane|C2H4Cl2|toxic|1184
75-01-4|염화비닐|Vinyl chloride|C2H3Cl|accident_precaution|1086
106-99-0|1,3-부타디엔|1,3-Butadiene|C4H6|toxic|1010
75-21-8|산화에틸렌|Ethylene oxide|C2H4O|accident_precaution|1040
75-56-9|산화프로필렌|Propylene oxide|C3H6O|accident_precaution|1280
106-89-8|에피클로로히드린|Epichlorohydrin|C3H5ClO|accident_precaution|2023
108-95-2|페놀|Phenol|C6H6O|accident_precaution|1671
62-53-3|아닐린|Aniline|C6H7N|toxic|1547
98-95-3|니트로벤젠|Nitrobenzene|C6H5NO2|toxic|1662
584-84-9|톨루엔-2,4-디이소시아네이트|Toluene-2,4-diisocyanate|C9H6N2O2|accident_precaution|2078
624-83-9|메틸이소시아네이트|Methyl isocyanate|C2H3NO|accident_precaution|2480
101-68-8|메틸렌디페닐디이소시아네이트|Methylene diphenyl diisocyanate|C15H10N2O2|toxic|
79-10-7|아크릴산|Acrylic acid|C3H4O2|toxic|2218
80-62-6|메틸메타크릴레이트|Methyl methacrylate|C5H8O2|toxic|1247
79-06-1|아크릴아미드|Acrylamide|C3H5NO|toxic|2074
107-02-8|아크롤레인|Acrolein|C3H4O|accident_precaution|1092
7726-95-6|브롬|Bromine|Br2|accident_precaution|1744
7782-41-4|불소|Fluorine|F2|accident_precaution|1045
10025-87-3|옥시염화인|Phosphorus oxychloride|Cl3OP|accident_precaution|1810
7719-12-2|삼염화인|Phosphorus trichloride|Cl3P|accident_precaution|1809
10026-13-8|오염화인|Phosphorus pentachloride|Cl5P|toxic|1806
7719-09-7|염화티오닐|Thionyl chloride|Cl2OS|toxic|1836
7646-85-7|염화아연|Zinc chloride|ZnCl2|toxic|2331
7487-94-7|염화수은(II)|Mercury(II) chloride|HgCl2|toxic|1624
7440-41-7|베릴륨|Beryllium|Be|toxic|1567
7782-49-2|셀레늄|Selenium|Se|toxic|
7440-36-0|안티몬|Antimony|Sb|toxic|
1309-64-4|삼산화안티몬|Antimony trioxide|Sb2O3|toxic|
1303-28-2|오산화비소|Arsenic pentoxide|As2O5|toxic|1559
1327-53-3|삼산화비소|Arsenic trioxide|As2O3|toxic|1561
7803-62-5|실란|Silane|SiH4|accident_precaution|2203
10025-78-2|트리클로로실란|Trichlorosilane|Cl3HSi|accident_precaution|1295
10026-04-7|사염화규소|Silicon tetrachloride|Cl4Si|toxic|1818
7783-54-2|삼불화질소|Nitrogen trifluoride|F3N|toxic|2451
7637-07-2|삼불화붕소|Boron trifluoride|BF3|accident_precaution|1008
10294-34-5|삼염화붕소|Boron trichloride|BCl3|accident_precaution|1741
7783-07-5|셀렌화수소|Hydrogen selenide|H2Se|accident_precaution|2202
19287-45-7|디보란|Diborane|B2H6|accident_precaution|1911
74-87-3|염화메틸|Chloromethane|CH3Cl|toxic|1063
74-83-9|브롬화메틸|Bromomethane|CH3Br|accident_precaution|1062
75-15-0|이황화탄소|Carbon disulfide|CS2|accident_precaution|1131
110-54-3|노말헥산|n-Hexane|C6H14|toxic|1208
64-19-7|아세트산|Acetic acid|C2H4O2|toxic|2789
64-18-6|포름산|Formic acid|CH2O2|toxic|1779
7664-38-2|인산|Phosphoric acid|H3PO4|toxic|1805
7681-52-9|차아염소산나트륨|Sodium hypochlorite|ClNaO|toxic|1791
7775-09-9|염소산나트륨|Sodium chlorate|ClNaO3|toxic|1495
7790-98-9|과염소산암모늄|Ammonium perchlorate|ClH4NO4|toxic|1442
6484-52-2|질산암모늄|Ammonium nitrate|H4N2O3|accident_precaution|1942
302-01-2|히드라진|Hydrazine|H4N2|accident_precaution|2029
60-34-4|메틸히드라진|Methylhydrazine|CH6N2|accident_precaution|1244
57-14-7|1,1-디메틸히드라진|1,1-Dimethylhydrazine|C2H8N2|accident_precaution|1163
110-86-1|피리딘|Pyridine|C5H5N|toxic|1282
109-99-9|테트라히드로푸란|Tetrahydrofuran|C4H8O|toxic|2056
123-91-1|1,4-다이옥산|1,4-Dioxane|C4H8O2|toxic|1165
68-12-2|N,N-디메틸포름아미드|N,N-Dimethylformamide|C3H7NO|toxic|2265
872-50-4|N-메틸-2-피롤리돈|N-Methyl-2-pyrrolidone|C5H9NO|toxic|
109-86-4|2-메톡시에탄올|2-Methoxyethanol|C3H8O2|toxic|1188
110-80-5|2-에톡시에탄올|2-Ethoxyethanol|C4H10O2|toxic|1171
75-05-8|아세토니트릴|Acetonitrile|C2H3N|toxic|1648
74-89-5|메틸아민|Methylamine|CH5N|accident_precaution|1061
124-40-3|디메틸아민|Dimethylamine|C2H7N|accident_precaution|1032
121-44-8|트리에틸아민|Triethylamine|C6H15N|toxic|1296
107-15-3|에틸렌디아민|Ethylenediamine|C2H8N2|toxic|1604
141-43-5|에탄올아민|Ethanolamine|C2H7NO|toxic|2491
7440-23-5|나트륨|Sodium|Na|toxic|1428
7440-09-7|칼륨|Potassium|K|toxic|2257
16853-85-3|수소화알루미늄리튬|Lithium aluminium hydride|AlH4Li|toxic|1410
16940-66-2|수소화붕소나트륨|Sodium borohydride|BH4Na|toxic|1426
7646-69-7|수소화나트륨|Sodium hydride|HNa|toxic|1427
76-44-8|헵타클로르|Heptachlor|C10H5Cl7|prohibited|
50-29-3|DDT|DDT|C14H9Cl5|prohibited|2761
309-00-2|알드린|Aldrin|C12H8Cl6|prohibited|2761
60-57-1|디엘드린|Dieldrin|C12H8Cl6O|prohibited|2761
72-20-8|엔드린|Endrin|C12H8Cl6O|prohibited|2761
57-74-9|클로르단|Chlordane|C10H6Cl8|prohibited|2762
118-74-1|헥사클로로벤젠|Hexachlorobenzene|C6Cl6|prohibited|2729
87-86-5|펜타클로로페놀|Pentachlorophenol|C6HCl5O|restricted|3155
58-89-9|린단|Lindane|C6H6Cl6|prohibited|2761
1912-24-9|아트라진|Atrazine|C8H14ClN5|toxic|
333-41-5|다이아지논|Diazinon|C12H21N2O3PS|toxic|
2921-88-2|클로르피리포스|Chlorpyrifos|C9H11Cl3NO3PS|toxic|
56-38-2|파라티온|Parathion|C10H14NO5PS|prohibited|
1910-42-5|파라쿼트디클로라이드|Paraquat dichloride|C12H14Cl2N2|restricted|
7440-48-4|코발트|Cobalt|Co|toxic|
1314-62-1|오산화바나듐|Vanadium pentoxide|O5V2|toxic|2862
7601-90-3|과염소산|Perchloric acid|ClHO4|toxic|1873
7790-94-5|클로로황산|Chlorosulfuric acid|ClHO3S|accident_precaution|1754
8014-95-7|발연황산|Oleum||accident_precaution|1831
10035-10-6|브롬화수소|Hydrogen bromide|BrH|accident_precaution|1048
10034-85-2|요오드화수소|Hydrogen iodide|HI|toxic|2197
7783-60-0|사불화황|Sulfur tetrafluoride|F4S|accident_precaution|2418
2699-79-8|설퓨릴플루오라이드|Sulfuryl fluoride|F2O2S|toxic|2191
75-77-4|트리메틸클로로실란|Chlorotrimethylsilane|C3H9ClSi|toxic|1298
75-78-5|디메틸디클로로실란|Dichlorodimethylsilane|C2H6Cl2Si|accident_precaution|1162
75-79-6|메틸트리클로로실란|Methyltrichlorosilane|CH3Cl3Si|accident_precaution|1250
7791-25-5|염화설퓨릴|Sulfuryl chloride|Cl2O2S|toxic|1834
79-22-1|메틸클로로포메이트|Methyl chloroformate|C2H3ClO2|accident_precaution|1238
98-88-4|염화벤조일|Benzoyl chloride|C7H5ClO|toxic|1736
75-36-5|염화아세틸|Acetyl chloride|C2H3ClO|toxic|1717
108-24-7|무수아세트산|Acetic anhydride|C4H6O3|toxic|1715
85-44-9|무수프탈산|Phthalic anhydride|C8H4O3|toxic|2214
108-31-6|무수말레산|Maleic anhydride|C4H2O3|toxic|2215
100-44-7|염화벤질|Benzyl chloride|C7H7Cl|accident_precaution|1738
77-78-1|황산디메틸|Dimethyl sulfate|C2H6O4S|accident_precaution|1595
74-88-4|요오드화메틸|Iodomethane|CH3I|toxic|2644
7440-28-0|탈륨|Thallium|Tl|toxic|
7446-18-6|황산탈륨|Thallium(I) sulfate|O4STl2|toxic|1707
7778-44-1|비산칼슘|Calcium arsenate|As2Ca3O8|toxic|1573
7632-00-0|아질산나트륨|Sodium nitrite|NNaO2|toxic|1500
26628-22-8|아지드화나트륨|Sodium azide|N3Na|toxic|1687
7447-39-4|염화구리(II)|Copper(II) chloride|Cl2Cu|toxic|2802
7758-89-6|염화구리(I)|Copper(I) chloride|ClCu|toxic|
13138-45-9|질산니켈|Nickel(II) nitrate|N2NiO6|toxic|2725
7786-81-4|황산니켈|Nickel(II) sulfate|NiO4S|toxic|
7718-54-9|염화니켈|Nickel(II) chloride|Cl2Ni|toxic|
13463-39-3|니켈카보닐|Nickel carbonyl|C4NiO4|accident_precaution|1259
7789-00-6|크롬산칼륨|Potassium chromate|CrK2O4|toxic|
7775-11-3|크롬산나트륨|Sodium chromate|CrNa2O4|toxic|
7758-97-6|크롬산납|Lead(II) chromate|CrO4Pb|toxic|
301-04-2|아세트산납|Lead(II) acetate|C4H6O4Pb|toxic|1616
1317-36-8|산화납|Lead(II) oxide|OPb|toxic|
78-00-2|테트라에틸납|Tetraethyllead|C8H20Pb|accident_precaution|1649
506-77-4|염화시안|Cyanogen chloride|CClN|accident_precaution|1589
460-19-5|시아노겐|Cyanogen|C2N2|accident_precaution|1026
75-86-5|아세톤시아노히드린|Acetone cyanohydrin|C4H7NO|accident_precaution|1541
107-18-6|알릴알코올|Allyl alcohol|C3H6O|accident_precaution|1098
107-05-1|염화알릴|Allyl chloride|C3H5Cl|toxic|1100
78-87-5|1,2-디클로로프로판|1,2-Dichloropropane|C3H6Cl2|toxic|1279
96-18-4|1,2,3-트리클로로프로판|1,2,3-Trichloropropane|C3H5Cl3|toxic|
79-34-5|1,1,2,2-테트라클로로에탄|1,1,2,2-Tetrachloroethane|C2H2Cl4|toxic|1702
71-55-6|1,1,1-트리클로로에탄|1,1,1-Trichloroethane|C2H3Cl3|toxic|2831
106-93-4|1,2-디브로모에탄|1,2-Dibromoethane|C2H4Br2|toxic|1605
74-96-4|브롬화에틸|Bromoethane|C2H5Br|toxic|1891
7550-45-0|사염화티타늄|Titanium tetrachloride|Cl4Ti|accident_precaution|1838
7705-08-0|염화철(III)|Iron(III) chloride|Cl3Fe|toxic|1773
7446-70-0|염화알루미늄|Aluminium chloride|AlCl3|toxic|1726
7758-19-2|아염소산나트륨|Sodium chlorite|ClNaO2|toxic|1496
10049-04-4|이산화염소|Chlorine dioxide|ClO2|accident_precaution|
7790-91-2|삼불화염소|Chlorine trifluoride|ClF3|accident_precaution|1749
7783-61-1|사불화규소|Silicon tetrafluoride|F4Si|toxic|1859
7783-82-6|육불화텅스텐|Tungsten hexafluoride|F6W|accident_precaution|2196
10028-15-6|오존|Ozone|O3|toxic|
1304-56-9|산화베릴륨|Beryllium oxide|BeO|toxic|1566
"""


@dataclass(frozen=True)
class Substance:
    cas: str
    name_ko: str
    name_en: str
    formula: str
    hazard_class: str
    un_number: str


SUBSTANCES: tuple[Substance, ...] = tuple(
    Substance(*line.split("|")) for line in _SUBSTANCE_TABLE.strip().splitlines()
)
"""Designated hazardous chemicals (real CAS numbers, names, formulas and UN numbers)."""

#: Parts of composed names for substances beyond :data:`SUBSTANCES` (Korean, English).
SUBSTANCE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("2-클로로", "2-Chloro"), ("4-클로로", "4-Chloro"), ("2,4-디클로로", "2,4-Dichloro"),
    ("2,6-디클로로", "2,6-Dichloro"), ("2-니트로", "2-Nitro"), ("4-니트로", "4-Nitro"),
    ("2,4-디니트로", "2,4-Dinitro"), ("2-메틸", "2-Methyl"), ("3-메틸", "3-Methyl"),
    ("4-메틸", "4-Methyl"), ("4-아미노", "4-Amino"), ("2-아미노", "2-Amino"),
    ("3-브로모", "3-Bromo"), ("4-브로모", "4-Bromo"), ("2-플루오로", "2-Fluoro"),
    ("4-플루오로", "4-Fluoro"), ("2,4,6-트리클로로", "2,4,6-Trichloro"),
    ("N-메틸", "N-Methyl"), ("N,N-디메틸", "N,N-Dimethyl"), ("N-에틸", "N-Ethyl"),
    ("4-tert-부틸", "4-tert-Butyl"), ("2-에틸", "2-Ethyl"), ("4-메톡시", "4-Methoxy"),
    ("2-히드록시", "2-Hydroxy"), ("3-니트로", "3-Nitro"), ("2,3-디메틸", "2,3-Dimethyl"),
    ("4-시아노", "4-Cyano"), ("2-요오도", "2-Iodo"), ("3,4-디클로로", "3,4-Dichloro"),
    ("4-히드록시", "4-Hydroxy"),
)  # fmt: skip
SUBSTANCE_BASES: tuple[tuple[str, str], ...] = (
    ("페놀", "phenol"), ("아닐린", "aniline"), ("벤조산", "benzoic acid"), ("톨루엔", "toluene"),
    ("피리딘", "pyridine"), ("벤즈알데히드", "benzaldehyde"), ("아세트아미드", "acetamide"),
    ("벤젠설폰산", "benzenesulfonic acid"), ("나프탈렌", "naphthalene"), ("티오펜", "thiophene"),
    ("퓨란", "furan"), ("안트라퀴논", "anthraquinone"), ("벤조니트릴", "benzonitrile"),
    ("아세토페논", "acetophenone"), ("벤질알코올", "benzyl alcohol"), ("이미다졸", "imidazole"),
    ("피페리딘", "piperidine"), ("모르폴린", "morpholine"), ("퀴놀린", "quinoline"),
    ("비페닐", "biphenyl"),
)  # fmt: skip
SUBSTANCE_FORMS: tuple[tuple[str, str], ...] = (
    ("", ""), (" 나트륨염", " sodium salt"), (" 염산염", " hydrochloride"),
    (" 황산염", " sulfate"), (" 칼륨염", " potassium salt"),
)  # fmt: skip

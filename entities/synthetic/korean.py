"""Korean vocabulary for synthetic data: regions, roads, people's names and organisations.

Everything here is plain data, so the generator (:mod:`entities.synthetic.builders`)
stays about structure and this module about realism:

- :data:`SIDO` and :data:`SIGUNGU`: the 17 provinces and 250 real si-gun-gu (and the
  autonomous-city gu) with their 5-digit administrative codes (행정표준코드, state
  of 2024: Gangwon 51 and Jeonbuk 52, Gunwi in Daegu, Bucheon's three gu) and
  resident populations in thousands (주민등록인구, rounded), which weight where
  people live;
- surnames with their census shares (2015 인구주택총조사) and given names by birth
  cohort and sex, with Hanja for the syllables that commonly have one;
- syllables for legal-dong, ri and road names, and words for company and shop names.

Legal-dong names and road names are composed, not real: a real table of the
~20,000 legal dongs is not needed to exercise matching, and composed names
cannot be mistaken for real addresses of real people.
"""

from __future__ import annotations

from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    """Space-separated words in first-seen order without repeats (lists edited by hand)."""
    return tuple(dict.fromkeys(text.split()))


@dataclass(frozen=True)
class Sido:
    code: str  # 2-digit prefix of the legal-dong code
    name: str  # official name, e.g. 서울특별시
    short: str  # name on regional plates and old licences, e.g. 서울
    postal: tuple[int, int]  # first two digits of its postal codes, inclusive range
    licence_region: str  # driver-licence region code (도로교통공단)


SIDO: dict[str, Sido] = {
    s.code: s
    for s in (
        Sido("11", "서울특별시", "서울", (1, 9), "11"),
        Sido("26", "부산광역시", "부산", (46, 49), "12"),
        Sido("27", "대구광역시", "대구", (41, 43), "22"),
        Sido("28", "인천광역시", "인천", (21, 23), "23"),
        Sido("29", "광주광역시", "광주", (61, 62), "24"),
        Sido("30", "대전광역시", "대전", (34, 35), "25"),
        Sido("31", "울산광역시", "울산", (44, 45), "26"),
        Sido("36", "세종특별자치시", "세종", (30, 30), "16"),
        Sido("41", "경기도", "경기", (10, 18), "13"),
        Sido("43", "충청북도", "충북", (27, 29), "15"),
        Sido("44", "충청남도", "충남", (31, 33), "16"),
        Sido("46", "전라남도", "전남", (57, 60), "18"),
        Sido("47", "경상북도", "경북", (36, 40), "19"),
        Sido("48", "경상남도", "경남", (50, 53), "20"),
        Sido("50", "제주특별자치도", "제주", (63, 63), "21"),
        Sido("51", "강원특별자치도", "강원", (24, 26), "14"),
        Sido("52", "전북특별자치도", "전북", (54, 56), "17"),
    )
}
"""The 17 provinces (시도) by code."""

#: Northern Gyeonggi si-gun-gu, licensed by 경기북부경찰청 (licence region 28).
GYEONGGI_NORTH = frozenset(
    _words("41150 41250 41281 41285 41287 41310 41360 41480 41630 41650 41800 41820")
)


@dataclass(frozen=True)
class Sigungu:
    code: str  # 5-digit si-gun-gu code
    name: str  # as in road-name addresses, e.g. '수원시 장안구'
    population: int  # thousands
    kind: str  # 'gu' (urban district), 'si' (city without gu, urban and rural), 'gun' (county)

    @property
    def sido(self) -> Sido:
        return SIDO[self.code[:2]]


# code, name, population (thousands), kind. Cities with gu list each gu.
_SIGUNGU_TABLE = """
11110 종로구 139 gu|11140 중구 121 gu|11170 용산구 214 gu|11200 성동구 280 gu
11215 광진구 336 gu|11230 동대문구 343 gu|11260 중랑구 383 gu|11290 성북구 427 gu
11305 강북구 285 gu|11320 도봉구 300 gu|11350 노원구 496 gu|11380 은평구 460 gu
11410 서대문구 307 gu|11440 마포구 357 gu|11470 양천구 432 gu|11500 강서구 556 gu
11530 구로구 400 gu|11545 금천구 226 gu|11560 영등포구 373 gu|11590 동작구 377 gu
11620 관악구 485 gu|11650 서초구 404 gu|11680 강남구 556 gu|11710 송파구 656 gu
11740 강동구 460 gu
26110 중구 39 gu|26140 서구 104 gu|26170 동구 88 gu|26200 영도구 108 gu
26230 부산진구 358 gu|26260 동래구 268 gu|26290 남구 254 gu|26320 북구 270 gu
26350 해운대구 379 gu|26380 사하구 298 gu|26410 금정구 213 gu|26440 강서구 141 gu
26470 연제구 204 gu|26500 수영구 171 gu|26530 사상구 205 gu|26710 기장군 179 gun
27110 중구 95 gu|27140 동구 335 gu|27170 서구 158 gu|27200 남구 139 gu
27230 북구 416 gu|27260 수성구 405 gu|27290 달서구 524 gu|27710 달성군 263 gun
27720 군위군 23 gun
28110 중구 160 gu|28140 동구 60 gu|28177 미추홀구 405 gu|28185 연수구 390 gu
28200 남동구 495 gu|28237 부평구 480 gu|28245 계양구 285 gu|28260 서구 620 gu
28710 강화군 69 gun|28720 옹진군 20 gun
29110 동구 103 gu|29140 서구 283 gu|29155 남구 207 gu|29170 북구 415 gu
29200 광산구 392 gu
30110 동구 218 gu|30140 중구 219 gu|30170 서구 460 gu|30200 유성구 365 gu
30230 대덕구 170 gu
31110 중구 205 gu|31140 남구 305 gu|31170 동구 150 gu|31200 북구 218 gu
31710 울주군 218 gun
36110 세종특별자치시 390 si
41111 수원시 장안구 270 gu|41113 수원시 권선구 370 gu|41115 수원시 팔달구 180 gu
41117 수원시 영통구 370 gu|41131 성남시 수정구 225 gu|41133 성남시 중원구 205 gu
41135 성남시 분당구 470 gu|41150 의정부시 460 si|41171 안양시 만안구 235 gu
41173 안양시 동안구 315 gu|41192 부천시 원미구 395 gu|41194 부천시 소사구 215 gu
41196 부천시 오정구 165 gu|41210 광명시 280 si|41220 평택시 590 si|41250 동두천시 90 si
41271 안산시 상록구 340 gu|41273 안산시 단원구 280 gu|41281 고양시 덕양구 490 gu
41285 고양시 일산동구 290 gu|41287 고양시 일산서구 290 gu|41290 과천시 80 si
41310 구리시 187 si|41360 남양주시 735 si|41370 오산시 230 si|41390 시흥시 520 si
41410 군포시 260 si|41430 의왕시 160 si|41450 하남시 330 si|41461 용인시 처인구 270 gu
41463 용인시 기흥구 450 gu|41465 용인시 수지구 380 gu|41480 파주시 500 si
41500 이천시 225 si|41550 안성시 190 si|41570 김포시 490 si|41590 화성시 950 si
41610 광주시 395 si|41630 양주시 250 si|41650 포천시 145 si|41670 여주시 113 si
41800 연천군 41 gun|41820 가평군 62 gun|41830 양평군 123 gun
43111 청주시 상당구 190 gu|43112 청주시 서원구 200 gu|43113 청주시 흥덕구 290 gu
43114 청주시 청원구 190 gu|43130 충주시 208 si|43150 제천시 130 si|43720 보은군 31 gun
43730 옥천군 49 gun|43740 영동군 44 gun|43745 증평군 37 gun|43750 진천군 86 gun
43760 괴산군 36 gun|43770 음성군 91 gun|43800 단양군 27 gun
44131 천안시 동남구 260 gu|44133 천안시 서북구 400 gu|44150 공주시 101 si
44180 보령시 97 si|44200 아산시 345 si|44210 서산시 175 si|44230 논산시 110 si
44250 계룡시 43 si|44270 당진시 170 si|44710 금산군 50 gun|44760 부여군 62 gun
44770 서천군 49 gun|44790 청양군 30 gun|44800 홍성군 98 gun|44810 예산군 77 gun
44825 태안군 60 gun
46110 목포시 215 si|46130 여수시 270 si|46150 순천시 275 si|46170 나주시 117 si
46230 광양시 151 si|46710 담양군 45 gun|46720 곡성군 27 gun|46730 구례군 25 gun
46770 고흥군 61 gun|46780 보성군 38 gun|46790 화순군 61 gun|46800 장흥군 35 gun
46810 강진군 33 gun|46820 해남군 65 gun|46830 영암군 53 gun|46840 무안군 90 gun
46860 함평군 30 gun|46870 영광군 51 gun|46880 장성군 43 gun|46890 완도군 48 gun
46900 진도군 29 gun|46910 신안군 38 gun
47111 포항시 남구 230 gu|47113 포항시 북구 265 gu|47130 경주시 250 si
47150 김천시 138 si|47170 안동시 154 si|47190 구미시 408 si|47210 영주시 100 si
47230 영천시 101 si|47250 상주시 94 si|47280 문경시 69 si|47290 경산시 265 si
47730 의성군 49 gun|47750 청송군 24 gun|47760 영양군 16 gun|47770 영덕군 34 gun
47820 청도군 41 gun|47830 고령군 31 gun|47840 성주군 43 gun|47850 칠곡군 110 gun
47900 예천군 54 gun|47920 봉화군 30 gun|47930 울진군 47 gun|47940 울릉군 9 gun
48121 창원시 의창구 220 gu|48123 창원시 성산구 230 gu|48125 창원시 마산합포구 175 gu
48127 창원시 마산회원구 185 gu|48129 창원시 진해구 195 gu|48170 진주시 340 si
48220 통영시 122 si|48240 사천시 108 si|48250 김해시 530 si|48270 밀양시 102 si
48310 거제시 235 si|48330 양산시 355 si|48720 의령군 26 gun|48730 함안군 61 gun
48740 창녕군 58 gun|48820 고성군 50 gun|48840 남해군 40 gun|48850 하동군 42 gun
48860 산청군 34 gun|48870 함양군 37 gun|48880 거창군 60 gun|48890 합천군 41 gun
50110 제주시 490 si|50130 서귀포시 180 si
51110 춘천시 286 si|51130 원주시 361 si|51150 강릉시 209 si|51170 동해시 88 si
51190 태백시 38 si|51210 속초시 82 si|51230 삼척시 62 si|51720 홍천군 67 gun
51730 횡성군 46 gun|51750 영월군 37 gun|51760 평창군 40 gun|51770 정선군 34 gun
51780 철원군 41 gun|51790 화천군 23 gun|51800 양구군 21 gun|51810 인제군 31 gun
51820 고성군 26 gun|51830 양양군 28 gun
52111 전주시 완산구 330 gu|52113 전주시 덕진구 310 gu|52130 군산시 258 si
52140 익산시 270 si|52180 정읍시 103 si|52190 남원시 78 si|52210 김제시 81 si
52710 완주군 91 gun|52720 진안군 25 gun|52730 무주군 23 gun|52740 장수군 21 gun
52750 임실군 26 gun|52770 순창군 26 gun|52790 고창군 53 gun|52800 부안군 50 gun
"""


def _parse_sigungu(table: str) -> tuple[Sigungu, ...]:
    rows: list[Sigungu] = []
    for entry in table.replace("\n", "|").split("|"):
        parts = entry.split()
        if not parts:
            continue
        code, *name, population, kind = parts
        rows.append(Sigungu(code, " ".join(name), int(population), kind))
    return tuple(rows)


SIGUNGU: tuple[Sigungu, ...] = _parse_sigungu(_SIGUNGU_TABLE)
"""Real si-gun-gu with codes and populations (thousands), ~51 million in all."""

#: Si-gun-gu where registered foreigners concentrate (industrial estates, Korean-Chinese
#: quarters): their weight for foreign residents is multiplied by the factor.
FOREIGNER_HOTSPOTS: dict[str, float] = {
    "41273": 6.0, "41590": 3.0, "41390": 3.0, "41570": 2.5, "11530": 3.0, "11560": 3.0,
    "11545": 3.0, "48250": 3.0, "41220": 2.0, "41550": 2.5, "43770": 3.0, "44200": 2.0,
    "47190": 2.0, "41500": 2.0, "11440": 1.5, "11170": 2.0,
}  # fmt: skip

# --------------------------------------------------------------------------- names

#: Surname, Hanja and share in percent of the population (2015 census).
SURNAMES: tuple[tuple[str, str, float], ...] = (
    ("김", "金", 21.6), ("이", "李", 14.8), ("박", "朴", 8.5), ("최", "崔", 4.7),
    ("정", "鄭", 4.3), ("강", "姜", 2.4), ("조", "趙", 2.1), ("윤", "尹", 2.1),
    ("장", "張", 2.0), ("임", "林", 1.7), ("한", "韓", 1.5), ("오", "吳", 1.5),
    ("서", "徐", 1.5), ("신", "申", 1.5), ("권", "權", 1.4), ("황", "黃", 1.4),
    ("안", "安", 1.4), ("송", "宋", 1.4), ("전", "全", 1.3), ("홍", "洪", 1.1),
    ("유", "柳", 1.1), ("고", "高", 0.9), ("문", "文", 0.9), ("양", "梁", 0.9),
    ("손", "孫", 0.9), ("배", "裵", 0.8), ("백", "白", 0.8), ("허", "許", 0.6),
    ("남", "南", 0.6), ("심", "沈", 0.5), ("노", "盧", 0.4), ("하", "河", 0.4),
    ("곽", "郭", 0.4), ("성", "成", 0.4), ("차", "車", 0.4), ("주", "朱", 0.4),
    ("우", "禹", 0.4), ("구", "具", 0.4), ("민", "閔", 0.35), ("류", "柳", 0.35),
    ("나", "羅", 0.3), ("진", "陳", 0.3), ("지", "池", 0.3), ("엄", "嚴", 0.3),
    ("채", "蔡", 0.25), ("원", "元", 0.25), ("천", "千", 0.25), ("방", "方", 0.2),
    ("공", "孔", 0.2), ("현", "玄", 0.2), ("함", "咸", 0.2), ("변", "卞", 0.2),
    ("염", "廉", 0.15), ("여", "呂", 0.15), ("추", "秋", 0.13), ("도", "都", 0.11),
    ("소", "蘇", 0.1), ("석", "石", 0.1), ("선", "宣", 0.1), ("설", "薛", 0.09),
    ("마", "馬", 0.08), ("길", "吉", 0.08), ("연", "延", 0.08), ("위", "魏", 0.07),
    ("표", "表", 0.07), ("명", "明", 0.05), ("기", "奇", 0.05), ("반", "潘", 0.05),
    ("왕", "王", 0.05), ("금", "琴", 0.05), ("옥", "玉", 0.05), ("육", "陸", 0.05),
    ("인", "印", 0.05), ("맹", "孟", 0.04), ("제", "諸", 0.04), ("모", "牟", 0.04),
    ("탁", "卓", 0.02), ("국", "鞠", 0.04), ("남궁", "南宮", 0.04), ("황보", "皇甫", 0.02),
    ("제갈", "諸葛", 0.01), ("선우", "鮮于", 0.01), ("독고", "獨孤", 0.005),
)  # fmt: skip

#: Birth-year cohorts (first year of each) for :data:`GIVEN_NAMES`.
COHORT_STARTS: tuple[int, ...] = (0, 1950, 1970, 1985, 2000, 2010)

#: Popular given names per cohort, male then female (most popular first).
GIVEN_NAMES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        _words(
            "영수 영호 영식 영길 정수 정호 상수 상철 종수 종호 병수 병철 기수 춘식 광수 "
            "용수 만수 재수 명수 성수 순철 태식 한수 덕수 봉수"
        ),
        _words(
            "순자 영자 정자 옥순 말순 순이 정순 영순 춘자 복순 순옥 금순 숙자 명자 경자 "
            "옥자 분이 선자 귀순 점순"
        ),
    ),
    (
        _words(
            "영수 영호 성호 정호 영철 성수 상훈 정훈 종훈 재훈 성민 명호 승호 동수 기호 "
            "준호 광호 병철 용호 진호 경수 상호 영진 정민 성진"
        ),
        _words(
            "영숙 정숙 명숙 경숙 미숙 영희 순희 정희 영미 경희 미경 혜숙 숙희 은숙 현숙 "
            "정미 성희 미자 영순 인숙"
        ),
    ),
    (
        _words(
            "성민 지훈 정훈 성훈 상훈 동현 준호 현철 재훈 성진 재현 민석 승현 정우 영민 "
            "진우 태호 현우 상민 동훈 준영 재원 성호 형준 민수"
        ),
        _words(
            "지영 은영 미영 현정 은정 미정 수진 지현 혜진 선영 은주 현주 정은 경미 미선 "
            "지은 소영 윤정 혜정 은경 수정 민정 유진 지혜 정아"
        ),
    ),
    (
        _words(
            "민수 지훈 현우 동현 준혁 성민 민재 승민 준호 지원 상현 민석 현준 우진 재민 "
            "태현 민호 준영 승현 진우 성현 도현 건우 영훈 동욱"
        ),
        _words(
            "지은 수빈 지현 민지 유진 은지 혜진 수진 지혜 예진 소연 다은 지원 민정 하나 "
            "지수 수정 은비 아름 보람 슬기 현지 유나 서연 미진"
        ),
    ),
    (
        _words(
            "민준 현우 지훈 동현 준혁 민재 승민 준서 우진 건우 현준 도현 지호 성민 민성 "
            "태민 재원 시우 유찬 준영"
        ),
        _words(
            "서연 민지 수빈 지민 서현 예은 수연 지원 유진 채원 하은 윤서 지은 다은 예진 "
            "지수 민서 수민 은서 서영"
        ),
    ),
    (
        _words(
            "민준 서준 도윤 예준 시우 하준 주원 지호 지후 준우 준서 도현 건우 현우 우진 "
            "선우 서진 연우 유준 이준 은우 시윤 정우 승우 지안"
        ),
        _words(
            "서연 서윤 지우 서현 민서 하은 하윤 윤서 지유 지민 채원 수아 지아 지윤 다은 "
            "은서 예은 시은 소율 하린 아윤 서아 이서 지안 유나"
        ),
    ),
)

#: The Hanja most often chosen for a given-name syllable. Names with a syllable not
#: listed (native Korean names such as 보람, 슬기) have no Hanja form.
NAME_HANJA: dict[str, str] = dict(
    pair.split(":")
    for pair in _words(
        "영:英 수:秀 호:浩 식:植 길:吉 정:正 상:相 철:哲 종:鍾 병:炳 기:基 춘:春 광:光 "
        "용:龍 만:萬 재:在 명:明 성:成 순:順 태:泰 한:漢 덕:德 봉:奉 자:子 옥:玉 말:末 "
        "이:利 복:福 금:今 숙:淑 경:京 분:粉 선:善 귀:貴 점:點 훈:勳 민:敏 승:承 동:東 "
        "준:俊 진:珍 희:姬 미:美 혜:惠 은:恩 현:賢 인:仁 지:智 우:宇 석:錫 형:亨 주:周 "
        "윤:允 소:素 유:裕 아:雅 빈:彬 예:藝 하:夏 다:多 원:元 서:瑞 연:娟 채:彩 도:道 "
        "건:建 시:始 찬:燦 후:厚 율:律 린:潾 안:安 혁:赫 나:娜"
    )
)

# ------------------------------------------------------------------ places, roads


#: Syllables composing legal-dong, eup, myeon and ri names (e.g. 신림동, 봉천동, 상곡리).
PLACE_SYLLABLES: tuple[str, ...] = _words(
    "신 역 삼 청 운 효 자 사 직 내 수 송 월 계 성 산 중 동 서 남 북 상 하 대 소 봉 천 원 "
    "평 장 안 정 문 화 양 덕 명 도 곡 진 금 호 용 석 인 의 구 미 광 현 연 가 교 부 영 오 "
    "율 학 흥 감 백 매 창 능 방 신 고 두 망 불 우 임 죽 지 태 풍 회"
)

#: Stems of road names; a road is '<stem>로', '<stem>대로' or '<stem>길', and side
#: streets '<road><n>길' (e.g. 테헤란로7길).
ROAD_STEMS: tuple[str, ...] = _words(
    "세종 테헤란 을지 충무 퇴계 남부순환 올림픽 강남 봉은사 도산 압구정 언주 선릉 삼성 "
    "영동 학동 논현 반포 사평 효령 방배 상도 노량진 여의대방 국회 경인 시흥 가마산 독산 "
    "벚꽃 디지털 구로중앙 오목 목동 신정 화곡 공항 양천 등촌 마곡중앙 월드컵 성산 망원 "
    "양화 와우산 신촌 연세 통일 은평 진관 연서 북한산 도봉 노해 동일 화랑 망우 용마산 "
    "천호대 아차산 능동 광나루 왕십리 무학 고산자 청계천 종로 율곡 창경궁 대학 성균관 "
    "혜화 동소문 보문 정릉 아리랑 솔샘 삼양 인수봉 덕릉 중앙 시청 역전 평화 번영 희망 "
    "새마을 충렬 해운대 광안 수영 망미 신선 태종 가야 동성 서면 전포 범일 구덕 낙동 사상 "
    "학장 괘법 동서 달구벌 국채보상 동대구 수성 범어 신천 팔달 칠곡중앙 경원 부평대 계양 "
    "남동 구월 송도 컨벤시아 청라 봉오 장수 금남 무등 상무 대덕 한밭 계룡 유성 둔산 문수 "
    "태화 삼일 중부 동부 서부 남부 북부 산업 공단 과학 문화 예술 체육 공원 호수 강변 "
    "해안 항구 시장 향교 관아 읍성 충효 효자 신흥 신원 개나리 진달래 무궁화 소나무 "
    "느티 은행 버들 매화 장미 국화 목련 백합 동백 한빛 새빛 푸른 햇살 달빛 별빛 "
    "금강 한강 낙동강 영산 섬진 만경 동진 금호 내성 반석 노은 도안 관저 가수원 "
    "복수 유천 용문 탄방 갈마 월평 만년 신성 어은 궁동 봉명 장대 구암 덕명 학하 "
    "원신흥 상대 하기 송강 관평 용산 탑립 신일 대화 장동 석봉 신탄진 회덕 송촌 비래 "
    "오정 대청 판암 가오 대별 소제 삼성 홍도 용전 효동 천동 낭월 정림 복수 도마"
)

# ------------------------------------------------------------------ organisations

#: Stems of company, shop and farm names (two-syllable Sino-Korean, native and loan words).
NAME_STEMS: tuple[str, ...] = _words(
    "한빛 대성 동양 세진 미래 한길 태양 삼화 신흥 대한 우성 한일 동아 부영 경동 삼진 대원 "
    "한성 신성 영진 청호 금강 세원 동원 효성 대림 일신 성원 진흥 제일 대영 한솔 두리 새한 "
    "평화 우리 하나 가온 누리 다온 한결 나래 보람 푸른 온누리 해오름 늘봄 에이스 글로벌 "
    "스마트 넥스트 코리아 유니온 아이티 비전 퓨처 그린 블루 웰 라온 아라 마루 새론 다솜 "
    "해솔 미르 가람 한울 솔빛 태극 동방 서광 명성 정우 태영 삼원 광명 신일 대진 영신 "
    "한양 청솔 은하 백두 한라 금성 목성 화성 천지 오성 동성 우진 태성 대광 삼광 신광 "
    "진성 한신 대호 세광 동신 성진 유성 한미 국제 제이 케이 엠 에스 디 더존 이노 "
    "하이 뉴 올 원 탑 베스트 굿 해피 참 바른 정다운 행복 사랑 소망 믿음"
)

#: Industry words of corporation names, by role.
CORPORATION_WORDS: tuple[str, ...] = _words(
    "전자 건설 산업 물산 테크 엔지니어링 푸드 바이오 시스템 솔루션 유통 상사 개발 에너지 "
    "화학 정밀 모빌리티 로지스틱스 소프트 네트웍스 디자인 컨설팅 인터내셔널 홀딩스 금속 "
    "기계 플라스틱 섬유 제지 인쇄 환경 의료기 통신 종합건설 토건 건축 인테리어 미디어 "
    "엔터테인먼트 교육 관광 레저 물류 무역 식품 자동차 부품 조선 전기 설비 산전 이엔씨"
)
MAKER_WORDS: tuple[str, ...] = _words(
    "전자 정밀 산업 테크 화학 금속 기계 플라스틱 가구 제지 산전 전기 광학 케미칼 "
    "엔지니어링 하이텍 인더스트리 머티리얼즈 시스템 메디칼"
)
PHARMA_WORDS: tuple[str, ...] = ("제약", "약품", "바이오팜", "팜", "신약", "메디팜", "제약")
ASSOCIATION_WORDS: tuple[str, ...] = ("협회", "연합회", "학회", "진흥회", "연구회", "복지회")
FOUNDATION_WORDS: tuple[str, ...] = ("재단", "장학회", "문화재단", "복지재단", "장학재단")

#: Apartment brands and complex-name patterns (building names of apartment addresses).
APARTMENT_BRANDS: tuple[str, ...] = (
    "래미안",
    "힐스테이트",
    "e편한세상",
    "자이",
    "푸르지오",
    "롯데캐슬",
    "아이파크",
    "더샵",
    "SK뷰",
    "한신",
    "현대",
    "주공",
    "우성",
    "삼성",
    "대우",
    "벽산",
    "쌍용",
    "한양",
    "동아",
    "신동아",
    "금호어울림",
    "호반써밋",
    "한라비발디",
    "중흥S-클래스",
    "꿈에그린",
    "센트레빌",
    "데시앙",
    "위브",
    "스위첸",
    "리슈빌",
    "코오롱하늘채",
    "LH",
)
VILLA_SUFFIXES: tuple[str, ...] = ("빌라", "하이츠", "맨션", "타운", "빌", "캐슬", "하우스")
COMMERCIAL_SUFFIXES: tuple[str, ...] = ("빌딩", "타워", "상가", "프라자", "센터", "스퀘어")

package inventory

import (
	"slices"
	"strings"
	"sync"
	"unicode"
)

// Country is an ISO 3166-1 alpha-2 state or territory.
type Country struct {
	Code   string `json:"code"`    // "CN"
	NameEN string `json:"name_en"` // "China"
	NameLV string `json:"name_lv"` // "Ķīna"
}

// countryRow is one line of countryTable: the country and the extra names it is known by.
type countryRow struct {
	Country
	aliases string // further English and Latvian names, separated by "|"
}

// countryTable lists every officially assigned ISO 3166-1 alpha-2 code, sorted by code.
// NameEN is the common English short name (ISO's formal short name, where different, is
// an alias); NameLV is the Latvian name as used by Latvian state institutions.
var countryTable = [...]countryRow{
	{Country{"AD", "Andorra", "Andora"}, ""},
	{Country{"AE", "United Arab Emirates", "Apvienotie Arābu Emirāti"}, "UAE|Emirates|AAE"},
	{Country{"AF", "Afghanistan", "Afganistāna"}, ""},
	{Country{"AG", "Antigua and Barbuda", "Antigva un Barbuda"}, ""},
	{Country{"AI", "Anguilla", "Angilja"}, ""},
	{Country{"AL", "Albania", "Albānija"}, ""},
	{Country{"AM", "Armenia", "Armēnija"}, ""},
	{Country{"AO", "Angola", "Angola"}, ""},
	{Country{"AQ", "Antarctica", "Antarktika"}, "Antarktīda"},
	{Country{"AR", "Argentina", "Argentīna"}, ""},
	{Country{"AS", "American Samoa", "ASV Samoa"}, "Amerikas Samoa"},
	{Country{"AT", "Austria", "Austrija"}, ""},
	{Country{"AU", "Australia", "Austrālija"}, ""},
	{Country{"AW", "Aruba", "Aruba"}, ""},
	{Country{"AX", "Åland Islands", "Olandes salas"}, "Aland Islands|Åland|Ālandu salas"},
	{Country{"AZ", "Azerbaijan", "Azerbaidžāna"}, ""},
	{Country{"BA", "Bosnia and Herzegovina", "Bosnija un Hercegovina"}, "Bosnia|Bosnia-Herzegovina|Bosnija"},
	{Country{"BB", "Barbados", "Barbadosa"}, ""},
	{Country{"BD", "Bangladesh", "Bangladeša"}, ""},
	{Country{"BE", "Belgium", "Beļģija"}, ""},
	{Country{"BF", "Burkina Faso", "Burkinafaso"}, "Burkina"},
	{Country{"BG", "Bulgaria", "Bulgārija"}, ""},
	{Country{"BH", "Bahrain", "Bahreina"}, ""},
	{Country{"BI", "Burundi", "Burundija"}, ""},
	{Country{"BJ", "Benin", "Benina"}, ""},
	{Country{"BL", "Saint Barthélemy", "Senbartelmī"}, "St. Barthélemy|St Barts|Saint Barts"},
	{Country{"BM", "Bermuda", "Bermudu salas"}, "Bermudas|Bermudu Salas"},
	{Country{"BN", "Brunei", "Bruneja"}, "Brunei Darussalam|Brunejas Darusalama"},
	{Country{"BO", "Bolivia", "Bolīvija"}, "Bolivia, Plurinational State of|Plurinational State of Bolivia|Bolīvijas Daudznāciju Valsts"},
	{Country{"BQ", "Caribbean Netherlands", "Nīderlandes Karību salas"}, "Bonaire, Sint Eustatius and Saba|Bonaire|Bonēra, Sintestatiusa un Saba|Karību Nīderlande"},
	{Country{"BR", "Brazil", "Brazīlija"}, ""},
	{Country{"BS", "Bahamas", "Bahamu Salas"}, "The Bahamas|Bahamas Islands"},
	{Country{"BT", "Bhutan", "Butāna"}, ""},
	{Country{"BV", "Bouvet Island", "Buvē sala"}, ""},
	{Country{"BW", "Botswana", "Botsvāna"}, ""},
	{Country{"BY", "Belarus", "Baltkrievija"}, "Byelorussia|Belorussia|Republic of Belarus|Baltkrievijas Republika"},
	{Country{"BZ", "Belize", "Beliza"}, ""},
	{Country{"CA", "Canada", "Kanāda"}, ""},
	{Country{"CC", "Cocos (Keeling) Islands", "Kokosu (Kīlinga) salas"}, "Cocos Islands|Keeling Islands|Kokosu salas"},
	{Country{"CD", "DR Congo", "Kongo Demokrātiskā Republika"}, "Congo, The Democratic Republic of the|Democratic Republic of the Congo|DRC|Congo-Kinshasa|Kongo (Kinšasa)|KDR"},
	{Country{"CF", "Central African Republic", "Centrālāfrikas Republika"}, "Centrālāfrika"},
	{Country{"CG", "Congo", "Kongo Republika"}, "Republic of the Congo|Congo-Brazzaville|Kongo (Brazavila)|Kongo"},
	{Country{"CH", "Switzerland", "Šveice"}, "Swiss Confederation|Šveices Konfederācija"},
	{Country{"CI", "Côte d'Ivoire", "Kotdivuāra"}, "Ivory Coast|Cote d'Ivoire|Ziloņkaula Krasts"},
	{Country{"CK", "Cook Islands", "Kuka salas"}, "Kuka Salas"},
	{Country{"CL", "Chile", "Čīle"}, ""},
	{Country{"CM", "Cameroon", "Kamerūna"}, ""},
	{Country{"CN", "China", "Ķīna"}, "People's Republic of China|PRC|Ķīnas Tautas Republika|ĶTR"},
	{Country{"CO", "Colombia", "Kolumbija"}, ""},
	{Country{"CR", "Costa Rica", "Kostarika"}, ""},
	{Country{"CU", "Cuba", "Kuba"}, ""},
	{Country{"CV", "Cabo Verde", "Kaboverde"}, "Cape Verde|Zaļā Raga salas"},
	{Country{"CW", "Curaçao", "Kirasao"}, ""},
	{Country{"CX", "Christmas Island", "Ziemsvētku sala"}, ""},
	{Country{"CY", "Cyprus", "Kipra"}, ""},
	{Country{"CZ", "Czechia", "Čehija"}, "Czech Republic|Čehijas Republika|Čehu Republika"},
	{Country{"DE", "Germany", "Vācija"}, "Federal Republic of Germany|Deutschland|Vācijas Federatīvā Republika"},
	{Country{"DJ", "Djibouti", "Džibutija"}, ""},
	{Country{"DK", "Denmark", "Dānija"}, ""},
	{Country{"DM", "Dominica", "Dominika"}, ""},
	{Country{"DO", "Dominican Republic", "Dominikāna"}, "Dominikānas Republika"},
	{Country{"DZ", "Algeria", "Alžīrija"}, ""},
	{Country{"EC", "Ecuador", "Ekvadora"}, ""},
	{Country{"EE", "Estonia", "Igaunija"}, "Eesti"},
	{Country{"EG", "Egypt", "Ēģipte"}, ""},
	{Country{"EH", "Western Sahara", "Rietumsahāra"}, ""},
	{Country{"ER", "Eritrea", "Eritreja"}, ""},
	{Country{"ES", "Spain", "Spānija"}, ""},
	{Country{"ET", "Ethiopia", "Etiopija"}, ""},
	{Country{"FI", "Finland", "Somija"}, "Suomi"},
	{Country{"FJ", "Fiji", "Fidži"}, ""},
	{Country{"FK", "Falkland Islands", "Folklenda salas"}, "Falkland Islands (Malvinas)|Falklands|Malvinas|Folklenda (Malvinu) salas|Malvinu salas"},
	{Country{"FM", "Micronesia", "Mikronēzija"}, "Micronesia, Federated States of|Federated States of Micronesia|Mikronēzijas Federatīvās Valstis"},
	{Country{"FO", "Faroe Islands", "Fēru salas"}, "Faroes|Faeroe Islands|Fēru Salas"},
	{Country{"FR", "France", "Francija"}, ""},
	{Country{"GA", "Gabon", "Gabona"}, ""},
	{Country{"GB", "United Kingdom", "Apvienotā Karaliste"}, "UK|U.K.|Great Britain|Britain|United Kingdom of Great Britain and Northern Ireland|Lielbritānija|Lielbritānijas un Ziemeļīrijas Apvienotā Karaliste"},
	{Country{"GD", "Grenada", "Grenāda"}, ""},
	{Country{"GE", "Georgia", "Gruzija"}, "Sakartvelo"},
	{Country{"GF", "French Guiana", "Francijas Gviāna"}, ""},
	{Country{"GG", "Guernsey", "Gērnsija"}, ""},
	{Country{"GH", "Ghana", "Gana"}, ""},
	{Country{"GI", "Gibraltar", "Gibraltārs"}, ""},
	{Country{"GL", "Greenland", "Grenlande"}, ""},
	{Country{"GM", "Gambia", "Gambija"}, "The Gambia"},
	{Country{"GN", "Guinea", "Gvineja"}, ""},
	{Country{"GP", "Guadeloupe", "Gvadelupa"}, ""},
	{Country{"GQ", "Equatorial Guinea", "Ekvatoriālā Gvineja"}, ""},
	{Country{"GR", "Greece", "Grieķija"}, "Hellas"},
	{Country{"GS", "South Georgia and the South Sandwich Islands", "Dienviddžordžija un Dienvidsendviču salas"}, "South Georgia"},
	{Country{"GT", "Guatemala", "Gvatemala"}, ""},
	{Country{"GU", "Guam", "Guama"}, ""},
	{Country{"GW", "Guinea-Bissau", "Gvineja-Bisava"}, "Guinea Bissau|Gvineja Bisava"},
	{Country{"GY", "Guyana", "Gajāna"}, ""},
	{Country{"HK", "Hong Kong", "Honkonga"}, "Hongkong|Hong Kong SAR|Ķīnas īpašās pārvaldes apgabals Honkonga"},
	{Country{"HM", "Heard Island and McDonald Islands", "Hērda sala un Makdonalda salas"}, ""},
	{Country{"HN", "Honduras", "Hondurasa"}, ""},
	{Country{"HR", "Croatia", "Horvātija"}, "Hrvatska"},
	{Country{"HT", "Haiti", "Haiti"}, ""},
	{Country{"HU", "Hungary", "Ungārija"}, ""},
	{Country{"ID", "Indonesia", "Indonēzija"}, ""},
	{Country{"IE", "Ireland", "Īrija"}, "Republic of Ireland|Eire"},
	{Country{"IL", "Israel", "Izraēla"}, "State of Israel|Izraēlas Valsts"},
	{Country{"IM", "Isle of Man", "Menas sala"}, ""},
	{Country{"IN", "India", "Indija"}, ""},
	{Country{"IO", "British Indian Ocean Territory", "Indijas okeāna Britu teritorija"}, "Britu Indijas okeāna teritorija"},
	{Country{"IQ", "Iraq", "Irāka"}, ""},
	{Country{"IR", "Iran", "Irāna"}, "Iran, Islamic Republic of|Islamic Republic of Iran|Irānas Islāma Republika"},
	{Country{"IS", "Iceland", "Islande"}, ""},
	{Country{"IT", "Italy", "Itālija"}, ""},
	{Country{"JE", "Jersey", "Džērsija"}, ""},
	{Country{"JM", "Jamaica", "Jamaika"}, ""},
	{Country{"JO", "Jordan", "Jordānija"}, ""},
	{Country{"JP", "Japan", "Japāna"}, ""},
	{Country{"KE", "Kenya", "Kenija"}, ""},
	{Country{"KG", "Kyrgyzstan", "Kirgizstāna"}, "Kyrgyz Republic|Kirghizia|Kirgizija"},
	{Country{"KH", "Cambodia", "Kambodža"}, ""},
	{Country{"KI", "Kiribati", "Kiribati"}, ""},
	{Country{"KM", "Comoros", "Komoru Salas"}, "Komoras"},
	{Country{"KN", "Saint Kitts and Nevis", "Sentkitsa un Nevisa"}, "St. Kitts and Nevis|St Kitts and Nevis"},
	{Country{"KP", "North Korea", "Ziemeļkoreja"}, "Korea, Democratic People's Republic of|Democratic People's Republic of Korea|DPRK|Korejas Tautas Demokrātiskā Republika|KTDR"},
	{Country{"KR", "South Korea", "Dienvidkoreja"}, "Korea, Republic of|Republic of Korea|Korejas Republika"},
	{Country{"KW", "Kuwait", "Kuveita"}, ""},
	{Country{"KY", "Cayman Islands", "Kaimanu salas"}, ""},
	{Country{"KZ", "Kazakhstan", "Kazahstāna"}, ""},
	{Country{"LA", "Laos", "Laosa"}, "Lao People's Democratic Republic|Lao PDR|Laosas Tautas Demokrātiskā Republika"},
	{Country{"LB", "Lebanon", "Libāna"}, ""},
	{Country{"LC", "Saint Lucia", "Sentlūsija"}, "St. Lucia|St Lucia"},
	{Country{"LI", "Liechtenstein", "Lihtenšteina"}, ""},
	{Country{"LK", "Sri Lanka", "Šrilanka"}, "Šri Lanka"},
	{Country{"LR", "Liberia", "Libērija"}, ""},
	{Country{"LS", "Lesotho", "Lesoto"}, ""},
	{Country{"LT", "Lithuania", "Lietuva"}, "Lietuvos Respublika|Lietuvas Republika"},
	{Country{"LU", "Luxembourg", "Luksemburga"}, ""},
	{Country{"LV", "Latvia", "Latvija"}, "Republic of Latvia|Latvijas Republika"},
	{Country{"LY", "Libya", "Lībija"}, ""},
	{Country{"MA", "Morocco", "Maroka"}, ""},
	{Country{"MC", "Monaco", "Monako"}, ""},
	{Country{"MD", "Moldova", "Moldova"}, "Moldova, Republic of|Republic of Moldova|Moldovas Republika|Moldāvija"},
	{Country{"ME", "Montenegro", "Melnkalne"}, ""},
	{Country{"MF", "Saint Martin", "Senmartēna"}, "Saint Martin (French part)|St. Martin"},
	{Country{"MG", "Madagascar", "Madagaskara"}, ""},
	{Country{"MH", "Marshall Islands", "Māršala Salas"}, ""},
	{Country{"MK", "North Macedonia", "Ziemeļmaķedonija"}, "Macedonia|Republic of North Macedonia|Ziemeļmaķedonijas Republika|Maķedonija"},
	{Country{"ML", "Mali", "Mali"}, ""},
	{Country{"MM", "Myanmar", "Mjanma"}, "Burma|Birma|Mjanma (Birma)"},
	{Country{"MN", "Mongolia", "Mongolija"}, ""},
	{Country{"MO", "Macao", "Makao"}, "Macau|Macao SAR|ĶTR īpašais administratīvais reģions Makao"},
	{Country{"MP", "Northern Mariana Islands", "Ziemeļu Marianas salas"}, "Northern Marianas"},
	{Country{"MQ", "Martinique", "Martinika"}, ""},
	{Country{"MR", "Mauritania", "Mauritānija"}, ""},
	{Country{"MS", "Montserrat", "Montserrata"}, ""},
	{Country{"MT", "Malta", "Malta"}, ""},
	{Country{"MU", "Mauritius", "Maurīcija"}, ""},
	{Country{"MV", "Maldives", "Maldīvija"}, "Maldīvu Salas"},
	{Country{"MW", "Malawi", "Malāvija"}, ""},
	{Country{"MX", "Mexico", "Meksika"}, ""},
	{Country{"MY", "Malaysia", "Malaizija"}, ""},
	{Country{"MZ", "Mozambique", "Mozambika"}, ""},
	{Country{"NA", "Namibia", "Namībija"}, ""},
	{Country{"NC", "New Caledonia", "Jaunkaledonija"}, ""},
	{Country{"NE", "Niger", "Nigēra"}, ""},
	{Country{"NF", "Norfolk Island", "Norfolkas sala"}, ""},
	{Country{"NG", "Nigeria", "Nigērija"}, ""},
	{Country{"NI", "Nicaragua", "Nikaragva"}, ""},
	{Country{"NL", "Netherlands", "Nīderlande"}, "Netherlands, Kingdom of the|Kingdom of the Netherlands|The Netherlands|Holland|Holande|Nīderlandes Karaliste"},
	{Country{"NO", "Norway", "Norvēģija"}, ""},
	{Country{"NP", "Nepal", "Nepāla"}, ""},
	{Country{"NR", "Nauru", "Nauru"}, ""},
	{Country{"NU", "Niue", "Niue"}, ""},
	{Country{"NZ", "New Zealand", "Jaunzēlande"}, "Aotearoa"},
	{Country{"OM", "Oman", "Omāna"}, ""},
	{Country{"PA", "Panama", "Panama"}, ""},
	{Country{"PE", "Peru", "Peru"}, ""},
	{Country{"PF", "French Polynesia", "Francijas Polinēzija"}, ""},
	{Country{"PG", "Papua New Guinea", "Papua-Jaungvineja"}, "Papua Jaungvineja"},
	{Country{"PH", "Philippines", "Filipīnas"}, ""},
	{Country{"PK", "Pakistan", "Pakistāna"}, ""},
	{Country{"PL", "Poland", "Polija"}, ""},
	{Country{"PM", "Saint Pierre and Miquelon", "Senpjēra un Mikelona"}, "St. Pierre and Miquelon"},
	{Country{"PN", "Pitcairn", "Pitkērnas salas"}, "Pitcairn Islands"},
	{Country{"PR", "Puerto Rico", "Puertoriko"}, "Puerto Riko"},
	{Country{"PS", "Palestine", "Palestīna"}, "Palestine, State of|State of Palestine|Palestinian Territories|Palestīnas Valsts|Palestīnas teritorijas"},
	{Country{"PT", "Portugal", "Portugāle"}, ""},
	{Country{"PW", "Palau", "Palau"}, ""},
	{Country{"PY", "Paraguay", "Paragvaja"}, ""},
	{Country{"QA", "Qatar", "Katara"}, ""},
	{Country{"RE", "Réunion", "Reinjona"}, ""},
	{Country{"RO", "Romania", "Rumānija"}, ""},
	{Country{"RS", "Serbia", "Serbija"}, ""},
	{Country{"RU", "Russia", "Krievija"}, "Russian Federation|Krievijas Federācija"},
	{Country{"RW", "Rwanda", "Ruanda"}, ""},
	{Country{"SA", "Saudi Arabia", "Saūda Arābija"}, ""},
	{Country{"SB", "Solomon Islands", "Zālamana Salas"}, ""},
	{Country{"SC", "Seychelles", "Seišelu Salas"}, "Seišelas"},
	{Country{"SD", "Sudan", "Sudāna"}, ""},
	{Country{"SE", "Sweden", "Zviedrija"}, "Sverige"},
	{Country{"SG", "Singapore", "Singapūra"}, ""},
	{Country{"SH", "Saint Helena", "Svētās Helēnas sala"}, "Saint Helena, Ascension and Tristan da Cunha|St. Helena|Sv. Helēnas sala"},
	{Country{"SI", "Slovenia", "Slovēnija"}, ""},
	{Country{"SJ", "Svalbard and Jan Mayen", "Svalbāra un Jana Majena sala"}, ""},
	{Country{"SK", "Slovakia", "Slovākija"}, "Slovak Republic|Slovākijas Republika"},
	{Country{"SL", "Sierra Leone", "Sjerraleone"}, ""},
	{Country{"SM", "San Marino", "Sanmarīno"}, ""},
	{Country{"SN", "Senegal", "Senegāla"}, ""},
	{Country{"SO", "Somalia", "Somālija"}, ""},
	{Country{"SR", "Suriname", "Surinama"}, "Surinam"},
	{Country{"SS", "South Sudan", "Dienvidsudāna"}, ""},
	{Country{"ST", "São Tomé and Príncipe", "Santome un Prinsipi"}, "Sao Tome and Principe"},
	{Country{"SV", "El Salvador", "Salvadora"}, ""},
	{Country{"SX", "Sint Maarten", "Sintmārtena"}, "Sint Maarten (Dutch part)"},
	{Country{"SY", "Syria", "Sīrija"}, "Syrian Arab Republic|Sīrijas Arābu Republika"},
	{Country{"SZ", "Eswatini", "Esvatini"}, "Swaziland|Svazilenda"},
	{Country{"TC", "Turks and Caicos Islands", "Tērksas un Kaikosas salas"}, "Turks and Caicos"},
	{Country{"TD", "Chad", "Čada"}, ""},
	{Country{"TF", "French Southern Territories", "Francijas Dienvidjūru teritorija"}, "French Southern and Antarctic Lands"},
	{Country{"TG", "Togo", "Togo"}, ""},
	{Country{"TH", "Thailand", "Taizeme"}, ""},
	{Country{"TJ", "Tajikistan", "Tadžikistāna"}, ""},
	{Country{"TK", "Tokelau", "Tokelau"}, ""},
	{Country{"TL", "Timor-Leste", "Austrumtimora"}, "East Timor|Timor Leste|Timora-Leste"},
	{Country{"TM", "Turkmenistan", "Turkmenistāna"}, ""},
	{Country{"TN", "Tunisia", "Tunisija"}, ""},
	{Country{"TO", "Tonga", "Tonga"}, ""},
	{Country{"TR", "Türkiye", "Turcija"}, "Turkey|Turkiye|Republic of Türkiye|Turcijas Republika"},
	{Country{"TT", "Trinidad and Tobago", "Trinidāda un Tobāgo"}, ""},
	{Country{"TV", "Tuvalu", "Tuvalu"}, ""},
	{Country{"TW", "Taiwan", "Taivāna"}, "Taiwan, Province of China"},
	{Country{"TZ", "Tanzania", "Tanzānija"}, "Tanzania, United Republic of|United Republic of Tanzania|Tanzānijas Apvienotā Republika"},
	{Country{"UA", "Ukraine", "Ukraina"}, ""},
	{Country{"UG", "Uganda", "Uganda"}, ""},
	{Country{"UM", "United States Minor Outlying Islands", "ASV Mazās Aizjūras salas"}, "U.S. Minor Outlying Islands"},
	{Country{"US", "United States", "Amerikas Savienotās Valstis"}, "USA|U.S.A.|U.S.|United States of America|ASV"},
	{Country{"UY", "Uruguay", "Urugvaja"}, ""},
	{Country{"UZ", "Uzbekistan", "Uzbekistāna"}, ""},
	{Country{"VA", "Vatican City", "Vatikāns"}, "Holy See|Holy See (Vatican City State)|Vatican|Vatikāna Pilsētvalsts|Svētais Krēsls"},
	{Country{"VC", "Saint Vincent and the Grenadines", "Sentvinsenta un Grenadīnas"}, "St. Vincent and the Grenadines|St Vincent and the Grenadines"},
	{Country{"VE", "Venezuela", "Venecuēla"}, "Venezuela, Bolivarian Republic of|Bolivarian Republic of Venezuela|Venecuēlas Bolivāra Republika"},
	{Country{"VG", "British Virgin Islands", "Britu Virdžīnas"}, "Virgin Islands (British)|Britu Virdžīnu salas"},
	{Country{"VI", "U.S. Virgin Islands", "ASV Virdžīnas"}, "Virgin Islands (U.S.)|United States Virgin Islands|US Virgin Islands|ASV Virdžīnu salas"},
	{Country{"VN", "Vietnam", "Vjetnama"}, "Viet Nam"},
	{Country{"VU", "Vanuatu", "Vanuatu"}, ""},
	{Country{"WF", "Wallis and Futuna", "Volisa un Futunas salas"}, "Wallis and Futuna Islands"},
	{Country{"WS", "Samoa", "Samoa"}, "Western Samoa"},
	{Country{"YE", "Yemen", "Jemena"}, ""},
	{Country{"YT", "Mayotte", "Majota"}, ""},
	{Country{"ZA", "South Africa", "Dienvidāfrikas Republika"}, "Republic of South Africa|RSA|Dienvidāfrika"},
	{Country{"ZM", "Zambia", "Zambija"}, ""},
	{Country{"ZW", "Zimbabwe", "Zimbabve"}, ""},
}

// names returns every name the row is known by: English, Latvian and the aliases.
func (r countryRow) names() []string {
	out := []string{r.NameEN, r.NameLV}
	if r.aliases != "" {
		out = append(out, strings.Split(r.aliases, "|")...)
	}
	return out
}

// countryLookup holds the lookup maps built from countryTable.
type countryLookup struct {
	list   []Country          // sorted by code
	byCode map[string]Country // "CN"
	byName map[string]Country // countryKey of every name and alias
}

// countryIndex builds the lookup maps on first use.
var countryIndex = sync.OnceValue(func() countryLookup {
	l := countryLookup{
		list:   make([]Country, 0, len(countryTable)),
		byCode: make(map[string]Country, len(countryTable)),
		byName: make(map[string]Country, 4*len(countryTable)),
	}
	for _, r := range countryTable {
		l.list = append(l.list, r.Country)
		l.byCode[r.Code] = r.Country
		for _, n := range r.names() {
			if k := countryKey(n); k != "" {
				if _, taken := l.byName[k]; !taken {
					l.byName[k] = r.Country
				}
			}
		}
	}
	return l
})

// Countries returns every ISO 3166-1 alpha-2 country, sorted by code. The slice is a copy
// the caller may modify.
func Countries() []Country {
	return slices.Clone(countryIndex().list)
}

// CountryByCode returns the country with the given upper-case alpha-2 code. Lower-case
// or padded codes are not accepted; use ParseCountry for input typed by people.
func CountryByCode(code string) (Country, bool) {
	c, ok := countryIndex().byCode[code]
	return c, ok
}

// ParseCountry finds a country by its alpha-2 code in any case, or by its English or
// Latvian name or one of their aliases. Matching ignores case, Latvian (and other Latin)
// diacritics, surrounding spaces and runs of spaces, non-breaking spaces included, so
// "CN", "cn", "China", "Ķīna", "ĶĪNA", "Kina" and " ķīna " all find China. An empty or
// blank string never matches.
func ParseCountry(s string) (Country, bool) {
	k := countryKey(s)
	if k == "" {
		return Country{}, false
	}
	idx := countryIndex()
	if len(k) == 2 {
		if c, ok := idx.byCode[strings.ToUpper(k)]; ok {
			return c, true
		}
	}
	c, ok := idx.byName[k]
	return c, ok
}

// countryFold maps lower-case letters with diacritics to their base letters.
var countryFold = map[rune]rune{
	// Latvian.
	'ā': 'a', 'č': 'c', 'ē': 'e', 'ģ': 'g', 'ī': 'i', 'ķ': 'k', 'ļ': 'l', 'ņ': 'n',
	'š': 's', 'ū': 'u', 'ž': 'z', 'ō': 'o', 'ŗ': 'r',
	// Other Latin letters found in country names.
	'á': 'a', 'à': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'å': 'a',
	'ç': 'c', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i', 'ñ': 'n',
	'ó': 'o', 'ò': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o', 'ø': 'o',
	'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ý': 'y',
	// Typographic apostrophes.
	'’': '\'', '‘': '\'', 'ʼ': '\'',
}

// countryKey normalises a country name for lookup: lower case, diacritics removed,
// surrounding white space (non-breaking spaces included) trimmed and inner runs of it
// made one space.
func countryKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\u2007' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		r = unicode.ToLower(r)
		if f, ok := countryFold[r]; ok {
			r = f
		}
		b.WriteRune(r)
	}
	return b.String()
}

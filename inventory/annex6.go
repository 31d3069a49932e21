package inventory

import (
	"strings"
	"sync"
)

// Technology is the kind of network a critical part or a network belongs to.
type Technology string

// The technologies critreg knows. Annex 6 names 4G (table 1) and 5G (table 2) functions;
// its point 1 applies to every network.
const (
	Tech4G        Technology = "4G"
	Tech5G        Technology = "5G"
	TechFixed     Technology = "fixed"
	TechTransport Technology = "transport"
	TechOther     Technology = "other"
	// TechAll marks the general functions of annex 6 point 1, found in any network.
	TechAll Technology = "all"
)

// NetworkTechnologies are the values a network's technology may take.
var NetworkTechnologies = []Technology{Tech4G, Tech5G, TechFixed, TechTransport, TechOther}

// CriticalPart is an annex-6 function, or a part an operator declared critical itself (63.1).
type CriticalPart struct {
	Code          string     `json:"code"`
	Short         string     `json:"short"`
	NameEN        string     `json:"name_en"`
	NameLV        string     `json:"name_lv"`
	DescriptionEN string     `json:"description_en"`
	DescriptionLV string     `json:"description_lv"`
	Technology    Technology `json:"technology"`
	// Custom is true for a part an operator declared; NetworkID is then its network.
	Custom    bool  `json:"custom"`
	NetworkID int64 `json:"network_id,omitempty"`
}

// annex6 is annex 6 of the rules: the general functions of point 1, the 4G functions of
// table 1 and the 5G functions of table 2. The Latvian texts follow the regulation (which
// prints "EIF" for 2.2 and "NSAAF" for 4.10; the 3GPP abbreviations are used here).
var annex6 = []CriticalPart{
	{Code: "1.1", NameEN: "Core routing and control of end-user traffic", NameLV: "Galvenā maršrutēšana un galalietotāju datplūsmas kontrole",
		DescriptionEN: "Core routing, and other control or steering of end-user traffic that can significantly affect traffic in the network",
		DescriptionLV: "Galvenās maršrutēšanas funkcijas un cita veida galalietotāju datplūsmas kontrole vai vadīšana sakaru tīklā, kas var būtiski ietekmēt datplūsmu sakaru tīklā"},
	{Code: "1.2", NameEN: "End-user access management", NameLV: "Galalietotāju piekļuves pārvaldība",
		DescriptionEN: "End-user access management, verification and authorisation, allocation of network ICT resources to end users, management of end-user connections and sessions",
		DescriptionLV: "Galalietotāju piekļuves pārvaldība, verifikācija un apstiprināšana, tīkla IKT resursu piešķiršana galalietotājiem un galalietotāju savienojumu un sesiju pārvaldība"},
	{Code: "1.3", NameEN: "Registration and authorisation of network functions", NameLV: "Tīkla un pakalpojumu funkciju reģistrācija",
		DescriptionEN: "Registration, verification and authorisation of network and service functions",
		DescriptionLV: "Sakaru tīkla un pakalpojumu funkciju reģistrācija, verifikācija un apstiprināšana"},
	{Code: "1.4", NameEN: "Infrastructure services", NameLV: "Infrastruktūras pakalpojumi",
		DescriptionEN: "Infrastructure services needed for the operation of the network and services and its support",
		DescriptionLV: "Infrastruktūras pakalpojumi, kas vajadzīgi sakaru tīkla un pakalpojumu darbībai un tā darbības atbalstam"},
	{Code: "1.5", NameEN: "Interfaces between networks, roaming", NameLV: "Saskarnes starp tīkliem, viesabonēšana",
		DescriptionEN: "Functions that implement interfaces between networks or services, including roaming",
		DescriptionLV: "Funkcijas, ko izmanto, lai īstenotu saskarnes starp sakaru tīkliem vai pakalpojumiem, tostarp viesabonēšanu"},
	{Code: "1.6", NameEN: "Interconnection of networks", NameLV: "Tīklu savstarpējā savienošana",
		DescriptionEN: "Functions that interconnect networks or services where they can significantly affect access to the network or traffic through it",
		DescriptionLV: "Funkcijas, kas savstarpēji savieno sakaru tīklus vai pakalpojumus, ja šāda funkcija var būtiski ietekmēt piekļuvi sakaru tīklam vai datplūsmu caur tīklu"},
	{Code: "1.7", NameEN: "Main security functions", NameLV: "Galvenās drošības funkcijas",
		DescriptionEN: "Main security functions, such as centralised encryption and key management of the network, its functions and end users",
		DescriptionLV: "Galvenās drošības funkcijas (piemēram, centralizēta sakaru tīkla, tā funkciju un galalietotāju šifrēšanas un atslēgu pārvaldība)"},
	{Code: "1.8", NameEN: "Network management, monitoring and back-end systems", NameLV: "Tīkla pārvaldības, uzraudzības un aizmugursistēmas",
		DescriptionEN: "Network management and monitoring systems concerning critical parts or significantly affecting access or traffic, and billing, support and back-end systems that can",
		DescriptionLV: "Tīkla pārvaldības un tīkla uzraudzības sistēmas, ja tās attiecas uz sakaru tīkla kritisko daļu pārvaldību vai uzraudzību vai ja tās citādi var būtiski ietekmēt piekļuvi tīklam vai datplūsmu tīklā, kā arī citas rēķinu sagatavošanas, atbalsta un aizmugursistēmas"},
	{Code: "1.9", NameEN: "Lawful interception", NameLV: "Telekomunikāciju pārtveršana",
		DescriptionEN: "Lawful interception or monitoring of telecommunications for law enforcement",
		DescriptionLV: "Funkcijas, kas veic telekomunikāciju pārtveršanu vai uzraudzību tiesībaizsardzības iestāžu vajadzībām"},
	{Code: "1.10", NameEN: "Virtualisation", NameLV: "Virtualizācija",
		DescriptionEN: "Virtualisation, where used to implement a function or measure considered a critical part",
		DescriptionLV: "Virtualizācija, ja to izmanto tādas funkcijas vai pasākuma īstenošanai, ko uzskata par kritisku sakaru tīkla daļu"},
	{Code: "1.11", NameEN: "Functions implemented through virtualisation", NameLV: "Ar virtualizāciju īstenotas funkcijas",
		DescriptionEN: "Any other function or measure implemented through virtualisation considered a critical part (1.10)",
		DescriptionLV: "Jebkura cita funkcija vai pasākums, ja to īsteno, izmantojot virtualizāciju, ko uzskata par kritisku sakaru tīkla daļu"},
	{Code: "1.12", NameEN: "Location data", NameLV: "Atrašanās vietas dati",
		DescriptionEN: "Main functions and measures giving access to the geographic location of an interface or terminal, or allowing location through the network",
		DescriptionLV: "Galvenās funkcijas un pasākumi, kas ļauj piekļūt datiem par saskarnes vai galiekārtas ģeogrāfisko atrašanās vietu vai ļauj noteikt atrašanās vietu, izmantojot sakaru tīklu"},

	{Code: "2.1", Short: "HSS", NameEN: "Home Subscriber Server", NameLV: "Mājas abonentu serveris",
		DescriptionEN: "Subscriber register holding the data to handle user sessions and connections",
		DescriptionLV: "Abonentu reģistrs, kurā glabā datus, lai apstrādātu lietotāja sesijas un savienojumus"},
	{Code: "2.2", Short: "EIR", NameEN: "Equipment Identity Register", NameLV: "Iekārtu identifikatoru reģistrs",
		DescriptionEN: "Register of equipment identifiers: whether a mobile device may be used",
		DescriptionLV: "Iekārtu identifikatoru reģistrs, kurā ir informācija par atļauju izmantot mobilās ierīces"},
	{Code: "2.3", Short: "SLF", NameEN: "Subscription Locator Function", NameLV: "Abonementa atrašanās vietas noteikšanas funkcija",
		DescriptionEN: "Tells other functions the name of the central database (HSS) holding a user's data",
		DescriptionLV: "Funkcija, kas uz citām tīkla funkcijām pārraida centrālās datubāzes nosaukumu, kurā ir lietotāja dati (HSS)"},
	{Code: "2.4", Short: "MME", NameEN: "Mobility Management Entity", NameLV: "Mobilo sakaru pārvaldības struktūra",
		DescriptionEN: "Terminal connection and mobility management",
		DescriptionLV: "Struktūrvienība, kas atbild par galiekārtas savienojumu un mobilitātes pārvaldību"},
	{Code: "2.5", Short: "SGW", NameEN: "Serving Gateway", NameLV: "Apkalpojošā vārteja",
		DescriptionEN: "Routes user-plane traffic",
		DescriptionLV: "Apkalpojošā vārteja, kas atbild par datplūsmas maršrutēšanu lietotāja līmenī"},
	{Code: "2.6", Short: "PGW", NameEN: "Packet Data Network Gateway", NameLV: "Pakešdatu tīkla vārteja",
		DescriptionEN: "Gateway between the operator's internal IP network and external IP networks",
		DescriptionLV: "Komutējama pakešu tīkla vārteja starp operatora iekšējo IP tīklu un ārējo IP tīklu"},
	{Code: "2.7", Short: "ePDG", NameEN: "Evolved Packet Data Gateway", NameLV: "Paplašināta pakešdatu vārteja",
		DescriptionEN: "Gateway for users connecting from outside the mobile network",
		DescriptionLV: "Vārteja lietotāju savienošanai ārpus mobilā tīkla"},
	{Code: "2.8", Short: "AAA", NameEN: "3GPP AAA server and 3GPP AAA proxy", NameLV: "3GPP AAA serveris un 3GPP AAA starpniekserveris",
		DescriptionEN: "User verification and authorisation outside the mobile network",
		DescriptionLV: "Serveris un starpniekserveris, kas atbild par lietotāju verifikāciju un apstiprināšanu ārpus mobilā tīkla"},
	{Code: "2.9", Short: "ANDSF", NameEN: "Access Network Discovery and Selection Function", NameLV: "Piekļuves tīkla noteikšanas un atlases funkcija",
		DescriptionEN: "Steers user traffic between mobile and fixed networks",
		DescriptionLV: "Funkcija, kas kontrolē lietotāja datplūsmu starp mobilo sakaru tīklu un fiksēto sakaru tīklu"},
	{Code: "2.10", Short: "PCRF", NameEN: "Policy and Charging Rules Function", NameLV: "Politikas un maksas noteikumu funkcija",
		DescriptionEN: "User-plane policy and charging",
		DescriptionLV: "Lietotāja saskarnes politika un rēķinu izrakstīšanas funkcija"},

	{Code: "4.1", Short: "AMF", NameEN: "Access and Mobility Management Function", NameLV: "Piekļuves un mobilo sakaru pārvaldības funkcija",
		DescriptionEN: "Control-plane traffic termination, terminal registration and mobility management",
		DescriptionLV: "Atbild par lietotāju kontroles datplūsmas terminoloģiju, galiekārtu reģistrāciju un mobilo sakaru pārvaldību"},
	{Code: "4.2", Short: "UPF", NameEN: "User Plane Function", NameLV: "Lietotāja plaknes funkcija",
		DescriptionEN: "Routing, steering and management of user traffic",
		DescriptionLV: "Atbild par lietotāja datplūsmas maršrutēšanu, vadīšanu un pārvaldību"},
	{Code: "4.3", Short: "PCF", NameEN: "Policy Control Function", NameLV: "Politikas kontroles funkcija",
		DescriptionEN: "Traffic control and enforcement of access-management policy",
		DescriptionLV: "Atbild par datplūsmas kontroli un piekļuves pārvaldības politikas īstenošanu"},
	{Code: "4.4", Short: "AUSF", NameEN: "Authentication Server Function", NameLV: "Autentifikācijas servera funkcija",
		DescriptionEN: "Verification of user terminals",
		DescriptionLV: "Atbild par lietotāju galiekārtu verificēšanu"},
	{Code: "4.5", Short: "UDM", NameEN: "Unified Data Management", NameLV: "Vienota datu pārvaldība",
		DescriptionEN: "User access management; creation and management of encryption keys",
		DescriptionLV: "Atbild par lietotāju piekļuves pārvaldību un šifrēšanas atslēgu izveidi un pārvaldību"},
	{Code: "4.6", Short: "AF", NameEN: "Application Function", NameLV: "Lietojumprogrammas funkcija",
		DescriptionEN: "Supports routing decisions online",
		DescriptionLV: "Tiešsaistē atbalsta maršrutēšanas lēmumus"},
	{Code: "4.7", Short: "NEF", NameEN: "Network Exposure Function and intermediate NEF", NameLV: "Tīkla ekspozīcijas funkcija un vidējā NEF",
		DescriptionEN: "Exposes 5G core functions to third parties and external applications",
		DescriptionLV: "Ļauj nodrošināt 5G pamattīkla funkcijas trešajām personām un ārējām lietojumprogrammām"},
	{Code: "4.8", Short: "NRF", NameEN: "Network Repository Function", NameLV: "Tīkla repozitorija funkcija",
		DescriptionEN: "Availability, registration and authorisation of network services",
		DescriptionLV: "Atbild par tīkla pakalpojumu pieejamību, reģistrēšanu un apstiprināšanu"},
	{Code: "4.9", Short: "NSSF", NameEN: "Network Slice Selection Function", NameLV: "Tīkla sadaļu atlases funkcija",
		DescriptionEN: "Network slicing services and specifications",
		DescriptionLV: "Atbild par tīkla sadalīšanas pakalpojumiem un specifikācijām"},
	{Code: "4.10", Short: "NSSAAF", NameEN: "Network Slice-Specific Authentication and Authorization Function", NameLV: "Tīkla sadaļu īpašās autentifikācijas un apstiprināšanas funkcija",
		DescriptionEN: "Verification and authorisation for network slices",
		DescriptionLV: "Atbild par tīkla sadaļu verifikāciju un apstiprināšanu"},
	{Code: "4.11", Short: "SMF", NameEN: "Session Management Function", NameLV: "Sesiju pārvaldības funkcija",
		DescriptionEN: "User session management",
		DescriptionLV: "Atbild par lietotāja sesiju pārvaldību"},
	{Code: "4.12", Short: "SEPP", NameEN: "Security Edge Protection Proxy", NameLV: "Drošmalu aizsardzības starpniekserveris",
		DescriptionEN: "Proxy for connections with other networks",
		DescriptionLV: "Starpniekserveris, kas ļauj nodrošināt savienojumu ar citiem tīkliem"},
	{Code: "4.13", Short: "UDSF", NameEN: "Unstructured Data Storage Function", NameLV: "Nestrukturētu datu glabāšanas funkcija",
		DescriptionEN: "Storage and retrieval of unstructured data",
		DescriptionLV: "Funkcija, ko izmanto, lai glabātu un izgūtu nestrukturētus datus"},
	{Code: "4.14", Short: "UDR", NameEN: "Unified Data Repository", NameLV: "Vienotais datu repozitorijs",
		DescriptionEN: "Stores and retrieves, among other things, subscriber information",
		DescriptionLV: "Repozitorijs, kas spēj glabāt un izgūt cita starpā abonenta informāciju"},
	{Code: "4.15", Short: "UCMF", NameEN: "UE Radio Capability Management Function", NameLV: "UE radio iespēju pārvaldības funkcija",
		DescriptionEN: "Stores terminal radio-capability data by ID",
		DescriptionLV: "Funkcija, kas glabā un saglabā galiekārtu ID radio iespējas datus"},
	{Code: "4.16", Short: "N3IWF", NameEN: "Non-3GPP InterWorking Function", NameLV: "Funkcija mijiedarbībai ārpus 3GPP tīkla",
		DescriptionEN: "Lets users outside the mobile network reach network functions",
		DescriptionLV: "Funkcija, kas lietotājiem ārpus mobilā tīkla ļauj piekļūt tīkla funkcijām"},
	{Code: "4.17", Short: "5G-EIR", NameEN: "5G Equipment Identity Register", NameLV: "5G iekārtu identifikatoru reģistrs",
		DescriptionEN: "Register of equipment identifiers: whether a mobile device may be used",
		DescriptionLV: "Iekārtu identifikatoru reģistrs, kurā ir informācija par atļauju izmantot mobilās ierīces"},
	{Code: "4.18", Short: "SCP", NameEN: "Service Communication Proxy", NameLV: "Pakalpojuma sakaru starpniekserviss",
		DescriptionEN: "Routes messages to other network functions",
		DescriptionLV: "Maršrutē ziņojumus uz citām tīkla funkcijām"},
	{Code: "4.19", Short: "NWDAF", NameEN: "Network Data Analytics Function", NameLV: "Tīkla datu analīzes funkcija",
		DescriptionEN: "Collects and analyses data for network control (except the distributed function, to the extent it does not significantly control or steer access and traffic)",
		DescriptionLV: "Vāc un analizē datus tīkla kontrolei (izņemot dalīto funkciju, tādā mērā, kādā tā būtiski nekontrolē vai nevada piekļuvi tīklam un datplūsmu tīklā)"},
}

// Annex6 returns the annex-6 functions in the regulation's order.
func Annex6() []CriticalPart {
	out := make([]CriticalPart, len(annex6))
	for i, p := range annex6 {
		out[i] = withTechnology(p)
	}
	return out
}

func withTechnology(p CriticalPart) CriticalPart {
	switch {
	case strings.HasPrefix(p.Code, "2."):
		p.Technology = Tech4G
	case strings.HasPrefix(p.Code, "4."):
		p.Technology = Tech5G
	default:
		p.Technology = TechAll
	}
	return p
}

// annex6Index finds an annex-6 function by its code, short name or name in either language,
// folded as ParseCriticalPart folds its input.
var annex6Index = sync.OnceValue(func() map[string]CriticalPart {
	m := make(map[string]CriticalPart, 4*len(annex6))
	for _, p := range Annex6() {
		for _, k := range []string{p.Code, p.Short, p.NameEN, p.NameLV, p.Short + " " + p.NameEN} {
			if k != "" && k != " " {
				m[foldKey(k)] = p
			}
		}
	}
	// The abbreviations printed in the regulation and common 3GPP variants.
	for alias, code := range map[string]string{"EIF": "2.2", "PDN GW": "2.6", "P-GW": "2.6", "S-GW": "2.5", "EPDG": "2.7",
		"NSAAF": "4.10", "I-NEF": "4.7", "5GEIR": "4.17"} {
		m[foldKey(alias)] = annex6ByCode(code)
	}
	return m
})

func annex6ByCode(code string) CriticalPart {
	for _, p := range annex6 {
		if p.Code == code {
			return withTechnology(p)
		}
	}
	panic("annex 6 has no code " + code)
}

// Annex6Part finds an annex-6 function by its exact code ("4.1").
func Annex6Part(code string) (CriticalPart, bool) {
	for _, p := range annex6 {
		if p.Code == code {
			return withTechnology(p), true
		}
	}
	return CriticalPart{}, false
}

// ParseAnnex6 finds an annex-6 function by code ("4.1", "4.1."), short name ("AMF") or name
// in Latvian or English, ignoring case, spacing and Latvian diacritics.
func ParseAnnex6(s string) (CriticalPart, bool) {
	k := foldKey(strings.TrimSuffix(strings.TrimSpace(s), "."))
	if k == "" {
		return CriticalPart{}, false
	}
	p, ok := annex6Index()[k]
	return p, ok
}

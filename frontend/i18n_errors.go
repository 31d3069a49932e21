package frontend

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"critreg/errkind"
)

// FieldErrorText is a field error in the page's language: its English format looked up in
// errorFormats and filled with the same arguments, or its English message where the
// catalog has no Latvian for it.
func FieldErrorText(lang string, fe errkind.FieldError) string {
	if lang == "en" || fe.Format == "" {
		return fe.Message
	}
	lv, ok := errorFormats[fe.Format]
	if !ok {
		return fe.Message
	}
	return fmt.Sprintf(lv, latvianArgs(fe.Args)...)
}

// latvianArgs returns an error's arguments as a Latvian format takes them: a reason given
// in both languages (errkind.Bilingual) by its Latvian, and an error made by errkind.Errorf
// (such as the reason "target %q: %s" holds) by its Latvian from the catalog.
func latvianArgs(args []any) []any {
	var out []any
	for i, a := range args {
		var lv string
		switch v := a.(type) {
		case errkind.Bilingual:
			lv = v.Latvian()
		case *errkind.Formatted:
			format, ok := errorFormats[v.Format]
			if !ok {
				continue
			}
			lv = fmt.Sprintf(format, latvianArgs(v.Args)...)
		default:
			continue
		}
		if out == nil {
			out = slices.Clone(args)
		}
		out[i] = lv
	}
	if out == nil {
		return args
	}
	return out
}

// ErrorText is err as a page says it in lang: a validation error's problems each as
// "field: problem", a not-found, forbidden or conflict error by its reason, each from the
// catalog where it has the Latvian; any other error by its English text. The API keeps
// answering with err.Error().
func ErrorText(lang string, err error) string {
	var v *errkind.ValidationError
	if errors.As(err, &v) {
		parts := make([]string, len(v.Fields))
		for i, f := range v.Fields {
			parts[i] = f.Field + ": " + FieldErrorText(lang, f)
		}
		return strings.Join(parts, "; ")
	}
	var k *errkind.KindError
	if lang == "en" || !errors.As(err, &k) {
		return err.Error()
	}
	if errors.Is(k.Kind, errkind.ErrNotFound) && len(k.Args) == 2 {
		what, _ := k.Args[0].(string)
		if lv, ok := notFoundNouns[what]; ok {
			return fmt.Sprintf("nav atrasts: %s %v", lv, k.Args[1])
		}
		return err.Error()
	}
	lv, ok := errorFormats[k.Format]
	if !ok {
		return err.Error()
	}
	return fmt.Sprintf(lv, latvianArgs(k.Args)...)
}

// notFoundNouns is the Latvian for what errkind.NotFound says was looked for.
// TestErrorCatalogComplete fails on a noun missing here.
var notFoundNouns = map[string]string{
	"batch":                "pakete",
	"critical part":        "kritiskā daļa",
	"discovery run":        "atklāšanas skenēšana",
	"finding":              "atradums",
	"fingerprint rule":     "pazīmju noteikums",
	"import":               "imports",
	"item":                 "ieraksts",
	"line of notice":       "paziņojuma rinda",
	"line":                 "rinda",
	"list submission":      "saraksta iesniegums",
	"network":              "tīkls",
	"notice":               "paziņojums",
	"operator":             "operators",
	"opinion":              "atzinums",
	"ownership statement":  "īpašumtiesību paziņojums",
	"page":                 "lapa",
	"party":                "dalībnieks",
	"profile":              "profils",
	"resource":             "resurss",
	"state":                "valsts",
	"submission of notice": "paziņojuma iesniegums",
	"submission":           "iesniegums",
	"supplier":             "piegādātājs",
	"token":                "pilnvara",
	"upload":               "augšupielāde",
	"user":                 "lietotājs",
	"id":                   "id",
}

// errorFormats maps each English format of the domain packages' field errors to its
// Latvian format, taking the same arguments in the same order. TestErrorCatalogComplete
// walks the module's sources and fails on a format missing here.
var errorFormats = map[string]string{
	"%s": "%s",
	"%v": "%v",

	// Requirements.
	"is required": "ir obligāts",
	"is required (equipment, software or outsourcing)":                                             "ir obligāts (iekārta, programmatūra vai ārpakalpojums)",
	"is required (or supplier, by name)":                                                           "ir obligāts (vai piegādātājs, pēc nosaukuma)",
	"is required for outsourcing":                                                                  "ārpakalpojumam ir obligāts",
	"is required for the %s role":                                                                  "lomai %s ir obligāts",
	"is required for v2c":                                                                          "v2c ir obligāts",
	"is required: CIDR ranges, hosts or host:port":                                                 "ir obligāts: CIDR diapazoni, resursdatori vai resursdators:ports",
	"is required: an annex-6 code such as 4.1 or a short name such as AMF":                         "ir obligāts: 6. pielikuma kods, piemēram, 4.1, vai saīsinājums, piemēram, AMF",
	"is required: say why the finding does not change the list":                                    "ir obligāts: norādiet, kāpēc atradums sarakstu nemaina",
	"is required: the name of one of the operator's credential profiles":                           "ir obligāts: viena operatora piekļuves profila nosaukums",
	"is required: the network the device enters":                                                   "ir obligāts: tīkls, kurā iekārta tiek ieviesta",
	"a name in English or Latvian is required":                                                     "nepieciešams nosaukums angļu vai latviešu valodā",
	"an item needs a name or a model":                                                              "ierakstam nepieciešams nosaukums vai modelis",
	"a removal needs the item it removes":                                                          "izņemšanai jānorāda izņemamais ieraksts",
	"an objection names the bureau's opinion that grounds it":                                      "iebildumā jānorāda biroja atzinums, uz kuru tas balstās",
	"say what information the bureau needs":                                                        "norādiet, kāda informācija birojam nepieciešama",
	"an unverified fact needs a note saying what is uncertain":                                     "nepārbaudītam faktam nepieciešama piezīme par to, kas nav skaidrs",
	"give at least one pattern: sysDescr, sysObjectID, host name, model, manufacturer or software": "norādiet vismaz vienu paraugu: sysDescr, sysObjectID, resursdatora nosaukums, modelis, ražotājs vai programmatūra",
	"give either exact or a min/max range":                                                         "norādiet vai nu precīzu vērtību, vai min/max diapazonu",
	"a statement records a share, a kind of control, or both":                                      "paziņojumā norāda daļu, kontroles veidu vai abus",

	// Lengths and text.
	"is longer than %d characters":                                              "ir garāks par %d rakstzīmēm",
	"is longer than 100 characters":                                             "ir garāks par 100 rakstzīmēm",
	"is longer than 1000 characters":                                            "ir garāks par 1000 rakstzīmēm",
	"is longer than 200 characters":                                             "ir garāks par 200 rakstzīmēm",
	"is longer than 2000 characters":                                            "ir garāks par 2000 rakstzīmēm",
	"is longer than 255 characters":                                             "ir garāks par 255 rakstzīmēm",
	"is longer than 64 characters":                                              "ir garāks par 64 rakstzīmēm",
	"is longer than 64 KiB; split the sweep":                                    "ir garāks par 64 KiB; sadaliet skenēšanu",
	"contains control characters":                                               "satur vadības rakstzīmes",
	"is not valid UTF-8 text":                                                   "nav derīgs UTF-8 teksts",
	"must contain letters or digits":                                            "jāsatur burti vai cipari",
	"must be one line of at most 200 characters":                                "jābūt vienai rindai ne garākai par 200 rakstzīmēm",
	"must be text of at most 4000 characters":                                   "jābūt tekstam ne garākam par 4000 rakstzīmēm",
	"must be 1 to 32 characters":                                                "jābūt no 1 līdz 32 rakstzīmēm",
	"must be 1 to 64 printable characters":                                      "jābūt no 1 līdz 64 drukājamām rakstzīmēm",
	"must be at least 8 characters":                                             "jābūt vismaz 8 rakstzīmēm",
	"must be 2–32 letters, digits, '-' or '_', starting with a letter or digit": "jābūt 2–32 burtiem, cipariem, '-' vai '_', sākot ar burtu vai ciparu",
	"must be 2–64 letters, digits, '.', '_', '@' or '-'":                        "jābūt 2–64 burtiem, cipariem, '.', '_', '@' vai '-'",
	"must start with a letter and hold up to 32 letters, digits, '.', '-' or '_' (annex-6 codes are reserved)": "jāsākas ar burtu un jāsatur līdz 32 burtiem, cipariem, '.', '-' vai '_' (6. pielikuma kodi ir rezervēti)",
	"use 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit":                 "izmantojiet 1–64 mazos burtus, ciparus, '.', '_' vai '-', sākot ar burtu vai ciparu",
	"search needs at least one letter or digit":                                                                "meklēšanai nepieciešams vismaz viens burts vai cipars",

	// Numbers and ranges.
	"must be 0 (none) to %d seconds":                        "jābūt no 0 (bez) līdz %d sekundēm",
	"must be 0 to %d":                                       "jābūt no 0 līdz %d",
	"must be 1 to %d":                                       "jābūt no 1 līdz %d",
	"must be 10 to %d":                                      "jābūt no 10 līdz %d",
	"must be between 1 and %d":                              "jābūt no 1 līdz %d",
	"must be at most 1200":                                  "jābūt ne vairāk kā 1200",
	"must be from 0 to 3660":                                "jābūt no 0 līdz 3660",
	"must be a percentage above 0 and at most 100":          "jābūt procentiem virs 0 un ne vairāk kā 100",
	"must be a percentage from 0 to 100":                    "jābūt procentiem no 0 līdz 100",
	"must be more than 0 and at most 1":                     "jābūt vairāk par 0 un ne vairāk kā 1",
	"must not be below min":                                 "nedrīkst būt mazāks par min",
	"must not be below version_from":                        "nedrīkst būt mazāks par version_from",
	"holds more than %d results; send smaller batches":      "satur vairāk par %d rezultātiem; sūtiet mazākas paketes",
	"batches are numbered from 1":                           "paketes numurē no 1",
	"at most 200 columns":                                   "ne vairāk kā 200 kolonnas",
	"a notice holds at most %d lines":                       "paziņojumā var būt ne vairāk kā %d rindas",
	"a notice needs at least one line":                      "paziņojumam nepieciešama vismaz viena rinda",
	"the retention can only be lengthened: it is %d months": "glabāšanas laiku var tikai pagarināt: tas ir %d mēneši",

	// Dates.
	"%q is not a calendar date":                      "%q nav kalendāra datums",
	"%q is not a date in the form YYYY-MM-DD":        "%q nav datums formā GGGG-MM-DD",
	"must be after since":                            "jābūt pēc since",
	"must be after start_date":                       "jābūt pēc start_date",
	"must not be before issued_on":                   "nedrīkst būt pirms issued_on",
	"must not be before the opinion was issued (%s)": "nedrīkst būt pirms atzinuma izdošanas (%s)",
	"%s is too early: a notice submitted on %s allows this change to start on %s at the earliest (63.3)": "%s ir par agru: paziņojums, kas iesniegts %s, ļauj šīs izmaiņas sākt ne agrāk kā %s (63.3.)",

	// Choices.
	"must be one of %s": "jābūt vienam no: %s",
	"must be one of 4G, 5G, fixed, transport, other":                  "jābūt vienam no: 4G, 5G, fixed, transport, other",
	"must be equipment, software or outsourcing":                      "jābūt iekārtai (equipment), programmatūrai (software) vai ārpakalpojumam (outsourcing)",
	"must be read, write or discovery":                                "jābūt read, write vai discovery",
	"must be supplier, product, software or outsourcing":              "jābūt supplier, product, software vai outsourcing",
	"must be threat, restricted or no_objection":                      "jābūt threat, restricted vai no_objection",
	"must be company, person, state or state_body":                    "jābūt company, person, state vai state_body",
	"must be legal or natural":                                        "jābūt legal vai natural",
	"must be met, not_met or unknown":                                 "jābūt met, not_met vai unknown",
	"must be 65.2.3, 65.2.4 or 65.3":                                  "jābūt 65.2.3, 65.2.4 vai 65.3",
	"must be v2c or v3":                                               "jābūt v2c vai v3",
	"unknown change %q (want %s)":                                     "nezināms izmaiņu veids %q (jābūt vienam no: %s)",
	"unknown field %q":                                                "nezināms lauks %q",
	"unknown interest type %q":                                        "nezināms līdzdalības veids %q",
	"unknown kind %q":                                                 "nezināms veids %q",
	"unknown kind of control %q (want one of %s)":                     "nezināms kontroles veids %q (jābūt vienam no: %s)",
	"unknown role %q (want manufacturer, distributor or outsourcing)": "nezināma loma %q (jābūt manufacturer, distributor vai outsourcing)",
	"unknown state code %q":                                           "nezināms valsts kods %q",
	"unknown step %q":                                                 "nezināms solis %q",
	"the %s role belongs to no operator":                              "loma %s nepieder nevienam operatoram",

	// Codes, countries and critical parts.
	"%q is an annex-6 function; a declared part needs a code of its own":                   "%q ir 6. pielikuma funkcija; deklarētai daļai nepieciešams savs kods",
	"%q is neither an annex-6 function nor a part declared critical in network %d":         "%q nav ne 6. pielikuma funkcija, ne tīklā %d par kritisku deklarēta daļa",
	"%q is neither an annex-6 function nor a part declared critical in this network":       "%q nav ne 6. pielikuma funkcija, ne šajā tīklā par kritisku deklarēta daļa",
	"%q is not a critical-part code":                                                       "%q nav kritiskās daļas kods",
	"%q is not an ISO 3166-1 alpha-2 country code":                                         "%q nav ISO 3166-1 alpha-2 valsts kods",
	"%q is not an annex-6 function: give a code such as 4.1 or a short name such as AMF":   "%q nav 6. pielikuma funkcija: norādiet kodu, piemēram, 4.1, vai saīsinājumu, piemēram, AMF",
	"no annex-6 function was recognised for this device: name the critical part it serves": "šai iekārtai netika atpazīta neviena 6. pielikuma funkcija: norādiet kritisko daļu, ko tā apkalpo",
	"%q is mapped twice":                                               "%q ir piesaistīts divreiz",
	"names %q, which this file does not describe":                      "nosauc %q, ko šī datne neapraksta",
	"must be a dotted numeric OID prefix such as 1.3.6.1.4.1.2636":     "jābūt ar punktiem atdalītam skaitliskam OID prefiksam, piemēram, 1.3.6.1.4.1.2636",
	"must be a dotted numeric OID such as 1.3.6.1.4.1.2636.1.1.1.2.25": "jābūt ar punktiem atdalītam skaitliskam OID, piemēram, 1.3.6.1.4.1.2636.1.1.1.2.25",
	"is not a valid regular expression: %s":                            "nav derīga regulārā izteiksme: %s",
	"needs a host and a port":                                          "nepieciešams resursdators un ports",

	// Objects not found or taken.
	"no network %d":                                    "nav tīkla %d",
	"no network %d of %s":                              "nav tīkla %d, kas pieder %s",
	"no item %d in the list of %s":                     "%[2]s sarakstā nav ieraksta %[1]d",
	"no operator %q":                                   "nav operatora %q",
	"no opinion %d":                                    "nav atzinuma %d",
	"no party %d":                                      "nav dalībnieka %d",
	"no supplier %d in the register":                   "reģistrā nav piegādātāja %d",
	"the register has no supplier named %q":            "reģistrā nav piegādātāja ar nosaukumu %q",
	"the operator has no profile %q":                   "operatoram nav profila %q",
	"login %q is taken":                                "lietotājvārds %q jau ir aizņemts",
	"operator %s already exists":                       "operators %s jau pastāv",
	"operator %s already has a network named %q":       "operatoram %s jau ir tīkls ar nosaukumu %q",
	"network %d already has a part %q":                 "tīklam %d jau ir daļa %q",
	"a rule named %q exists already":                   "noteikums ar nosaukumu %q jau pastāv",
	"a revocation with reference %q exists":            "atsaukums ar numuru %q jau pastāv",
	"an opinion with reference %q exists":              "atzinums ar numuru %q jau pastāv",
	"another supplier in the register has this name":   "reģistrā jau ir cits piegādātājs ar šo nosaukumu",
	"the register already holds this supplier (id %d)": "reģistrā šis piegādātājs jau ir (id %d)",
	"supplier %d already has a party in the graph":     "piegādātājam %d grafā jau ir dalībnieks",
	"the operator already has a profile named %q":      "operatoram jau ir profils ar nosaukumu %q",
	"%s is not among the targets of upload %d":         "%s nav starp augšupielādes %d mērķiem",

	// Rules of the domain.
	"a network cannot move to another operator":                                                              "tīklu nevar pārcelt pie cita operatora",
	"a notice stays with its operator (%s)":                                                                  "paziņojums paliek pie sava operatora (%s)",
	"an operator's code never changes":                                                                       "operatora kods nemainās",
	"a rule keeps its name: add a new rule and disable this one instead":                                     "noteikuma nosaukums nemainās: pievienojiet jaunu noteikumu un atslēdziet šo",
	"a party does not own itself":                                                                            "dalībnieks nevar piederēt pats sev",
	"a supplier is a company or a person":                                                                    "piegādātājs ir uzņēmums vai persona",
	"%s is a %s: nobody owns or controls one":                                                                "%s ir %s: tādu neviens nepieder un nekontrolē",
	"only a natural person has citizenships":                                                                 "pilsonība ir tikai fiziskai personai",
	"only a product or software opinion names a product":                                                     "produktu nosauc tikai produkta vai programmatūras atzinums",
	"only a restricted verdict has a restriction":                                                            "ierobežojums ir tikai ierobežojošam lēmumam",
	"only a restricted verdict lists the critical parts it covers":                                           "kritiskās daļas uzskaita tikai ierobežojošs lēmums",
	"only a software opinion has a version range":                                                            "versiju diapazons ir tikai programmatūras atzinumam",
	"only an outsourcing opinion names a service":                                                            "pakalpojumu nosauc tikai ārpakalpojuma atzinums",
	"submissions %d and %d are of different operators":                                                       "iesniegumi %d un %d ir no dažādiem operatoriem",
	"accepting a missing item removes it from the list; set confirm_removal to true, or dismiss the finding": "trūkstoša ieraksta pieņemšana to izņem no saraksta; apstipriniet izņemšanu vai noraidiet atradumu",
	"holds neither a device nor a cause":                                                                     "nesatur ne iekārtu, ne cēloni",
	"an admin cannot suspend their own account":                                                              "administrators nevar apturēt savu kontu",
	"discovery tokens belong to an operator's users":                                                         "atklāšanas pilnvaras pieder operatora lietotājiem",
	"does not match the authenticator app's code; check that the phone's clock is right":                     "neatbilst autentifikatora lietotnes kodam; pārbaudiet, vai tālruņa pulkstenis ir pareizs",
	"v2c takes a community only; v3 users and passphrases belong to a v3 profile":                            "v2c izmanto tikai kopienu; v3 lietotāji un paroles frāzes pieder v3 profilam",
	"a v3 profile has no community":                                                                          "v3 profilam nav kopienas",

	// Conflicts (errkind.Conflict): the change collides with the current state.
	"%d discovery runs are already sweeping on this server; start this one when one of them ends": "šajā serverī jau notiek %d atklāšanas skenēšanas; sāciet šo, kad kāda no tām beidzas",
	"%s: item %d is no longer the item the line names (it was removed and its number reused)":     "%s: ieraksts %d vairs nav tas, ko nosauc rinda (tas tika izņemts un tā numurs izmantots atkārtoti)",
	"a second factor is already set up; an admin resets it before a new enrolment":                "otrais faktors jau ir iestatīts; pirms jaunas reģistrācijas administrators to atiestata",
	"batch %d of upload %d is already held with other content":                                    "augšupielādes %[2]d pakete %[1]d jau ir saņemta ar citu saturu",
	"cannot read profile %q: %v":   "nevar nolasīt profilu %q: %v",
	"cannot store the profile: %v": "nevar saglabāt profilu: %v",
	"finding %d is already %s":     "atradums %d jau ir %s",
	"item %d changed since run %d read it: %s was %q, is now %q; dismiss this finding and run discovery again": "ieraksts %d mainījies kopš skenēšana %d to nolasīja: %s bija %q, tagad ir %q; noraidiet šo atradumu un palaidiet atklāšanu vēlreiz",
	"item %d of this finding is no longer in the list":                                                         "šī atraduma ieraksts %d vairs nav sarakstā",
	"line %d of notice %d cannot be carried out: %s":                                                           "paziņojuma %[2]d rindu %[1]d nevar izpildīt: %[3]s",
	"line %d of notice %d needs notice: it may be carried out from %s, the notice's earliest start, not on %s": "paziņojuma %[2]d rindai %[1]d nepieciešams paziņojums: to var izpildīt no %[3]s, paziņojuma agrākā sākuma, nevis %[4]s",
	"line %d of notice %d was carried out meanwhile":                                                           "paziņojuma %[2]d rinda %[1]d pa to laiku jau izpildīta",
	"line %d of notice %d was carried out on %s":                                                               "paziņojuma %[2]d rinda %[1]d izpildīta %[3]s",
	"line %d of notice %d was carried out: its lines can no longer be changed; file a new notice":              "paziņojuma %[2]d rinda %[1]d ir izpildīta: tā rindas vairs nevar mainīt; iesniedziet jaunu paziņojumu",
	"network %d still holds items":                                                                             "tīklā %d vēl ir ieraksti",
	"notice %d changed state meanwhile":                                                                        "paziņojuma %d stāvoklis pa to laiku mainījies",
	"notice %d is %s: only a draft, or a notice the bureau asked more information about, can be changed":       "paziņojums %d ir %s: mainīt var tikai melnrakstu vai paziņojumu, par kuru birojs lūdza papildu informāciju",
	"notice %d is %s; it can be %s only when %s":                                                               "paziņojums %d ir %s; stāvoklī %s to var pārvērst tikai tad, kad tas ir %s",
	"notice %d is %s; its lines can be carried out only when it is %s":                                         "paziņojums %d ir %s; tā rindas var izpildīt tikai tad, kad tas ir %s",
	"operator %s still has networks or users":                                                                  "operatoram %s vēl ir tīkli vai lietotāji",
	"opinion %s is already revoked":                                                                            "atzinums %s jau ir atsaukts",
	"opinion %s is already superseded by opinion %d":                                                           "atzinumu %s jau aizstāj atzinums %d",
	"opinion %s is superseded by opinion %d; revoke that one":                                                  "atzinumu %s aizstāj atzinums %d; atsauciet to",
	"opinion %s was revoked; a revoked opinion is not superseded":                                              "atzinums %s ir atsaukts; atsauktu atzinumu neaizstāj",
	"part %q still holds %d items":                                                                             "daļā %q vēl ir %d ieraksti",
	"party %d is still named by ownership statements":                                                          "dalībnieku %d vēl nosauc īpašumtiesību paziņojumi",
	"profile %q: %v":                                                             "profils %q: %v",
	"run %d has already ended (%s)":                                              "skenēšana %d jau ir beigusies (%s)",
	"run %d is not sweeping on this server":                                      "skenēšana %d šajā serverī nenotiek",
	"start an enrolment before confirming it":                                    "pirms apstiprināšanas sāciet reģistrāciju",
	"supplier %d is still named by items or ownership records":                   "piegādātāju %d vēl nosauc ieraksti vai īpašumtiesību ieraksti",
	"the second factor is already confirmed":                                     "otrais faktors jau ir apstiprināts",
	"upload %d holds %d batches, the agent says it sent %d; send the rest first": "augšupielādē %d ir %d paketes, aģents saka, ka nosūtīja %d; vispirms nosūtiet pārējās",
	"upload %d holds batches up to %d; send batch %d next":                       "augšupielādē %d ir paketes līdz %d; nākamo sūtiet paketi %d",
	"upload %d is %s; it takes no more batches":                                  "augšupielāde %d ir %s; tā vairs nepieņem paketes",
	"upload %d was committed meanwhile":                                          "augšupielāde %d pa to laiku jau apstiprināta",

	"the facts of %s were changed by another save after they were read: look at the history, then save again to replace them": "valsts %s faktus pēc to nolasīšanas mainīja cita saglabāšana: apskatiet vēsturi un saglabājiet vēlreiz, lai tos aizstātu",

	// Refusals (errkind.Forbidden): the caller sees the object but may not do this.
	"a read-only token cannot change the account":                                  "tikai lasīšanas pilnvara nevar mainīt kontu",
	"only %s may %s a notice":                                                      "darbību „%[2]s” ar paziņojumu drīkst veikt tikai %[1]s",
	"only a signed-in user enrols a second factor":                                 "otro faktoru reģistrē tikai pierakstījies lietotājs",
	"only admins keep the fingerprint rules":                                       "pazīmju noteikumus uztur tikai administratori",
	"only an admin adds users":                                                     "lietotājus pievieno tikai administrators",
	"only an admin lists users":                                                    "lietotāju sarakstu redz tikai administrators",
	"only an admin or the operator's own compliance officer changes an operator":   "operatoru maina tikai administrators vai paša operatora atbilstības speciālists",
	"only an admin prunes the audit trail":                                         "audita žurnālu apcirpt var tikai administrators",
	"only an admin registers operators":                                            "operatorus reģistrē tikai administrators",
	"only an admin removes operators":                                              "operatorus dzēš tikai administrators",
	"only an admin resets a second factor":                                         "otro faktoru atiestata tikai administrators",
	"only an admin sets the audit retention":                                       "audita glabāšanas laiku nosaka tikai administrators",
	"only an admin suspends or unsuspends a user":                                  "lietotāju aptur vai atjauno tikai administrators",
	"only the bureau and admins export the audit trail":                            "audita žurnālu eksportē tikai birojs un administratori",
	"only the bureau and admins read the audit retention":                          "audita glabāšanas laiku redz tikai birojs un administratori",
	"only the bureau issues opinions":                                              "atzinumus izdod tikai birojs",
	"only the bureau or an admin changes the shared supplier register":             "kopīgo piegādātāju reģistru maina tikai birojs vai administrators",
	"only the operator's compliance officer submits its list":                      "operatora sarakstu iesniedz tikai tā atbilstības speciālists",
	"only the operator's own operator and engineer users cancel discovery runs":    "atklāšanas skenēšanas atceļ tikai paša operatora lietotāji",
	"only the operator's own operator and engineer users decide on findings":       "par atradumiem lemj tikai paša operatora lietotāji",
	"only the operator's own operator and engineer users start discovery runs":     "atklāšanas skenēšanas sāk tikai paša operatora lietotāji",
	"only the operator's own users add networks":                                   "tīklus pievieno tikai paša operatora lietotāji",
	"only the operator's own users carry out its notices":                          "operatora paziņojumus izpilda tikai tā lietotāji",
	"only the operator's own users change its column mapping":                      "operatora kolonnu kartējumu maina tikai tā lietotāji",
	"only the operator's own users change its list":                                "operatora sarakstu maina tikai tā lietotāji",
	"only the operator's own users change its networks":                            "operatora tīklus maina tikai tā lietotāji",
	"only the operator's own users change its notices":                             "operatora paziņojumus maina tikai tā lietotāji",
	"only the operator's own users declare critical parts":                         "kritiskās daļas deklarē tikai paša operatora lietotāji",
	"only the operator's own users draft its notices":                              "operatora paziņojumus sagatavo tikai tā lietotāji",
	"only the operator's own users remove its networks":                            "operatora tīklus dzēš tikai tā lietotāji",
	"only the operator's own users upload its discovery runs":                      "operatora atklāšanas rezultātus augšupielādē tikai tā lietotāji",
	"only the operator's own users with write access keep its credential profiles": "operatora piekļuves profilus uztur tikai tā lietotāji ar rakstīšanas tiesībām",
	"only the operator's own users withdraw critical parts":                        "kritiskās daļas atsauc tikai paša operatora lietotāji",
	"only the security bureau (or an admin) changes vetting data":                  "pārbaudes datus maina tikai drošības birojs (vai administrators)",
	"only the security bureau issues opinions":                                     "atzinumus izdod tikai drošības birojs",
	"only the security bureau may do this":                                         "to drīkst tikai drošības birojs",
	"only the security bureau records analyst entries":                             "analītiķa ierakstus veic tikai drošības birojs",
	"only the security bureau revokes opinions":                                    "atzinumus atsauc tikai drošības birojs",
	"read-only access": "tikai lasīšanas piekļuve",
	"the discovery pages are for operators' users and the bureau":                             "atklāšanas lapas ir operatoru lietotājiem un birojam",
	"the form is missing its security token or it has expired: reload the page and try again": "veidlapai trūkst drošības marķiera vai tas ir novecojis: pārlādējiet lapu un mēģiniet vēlreiz",
	"the review queue is the bureau's":                                                        "izskatīšanas rinda ir biroja",
	"this page is for an operator's users":                                                    "šī lapa ir operatora lietotājiem",

	// Errors helpers return and callers record against a field (errkind.Errorf).
	"unknown role %q (want operator, engineer, bureau or admin)":                   "nezināma loma %q (jābūt operator, engineer, bureau vai admin)",
	"must be at least %d characters":                                               "jābūt vismaz %d rakstzīmēm",
	"must be at most 1024 bytes":                                                   "jābūt ne vairāk kā 1024 baitiem",
	"unknown auth protocol %q: want SHA, SHA-224, SHA-256, SHA-384 or SHA-512":     "nezināms autentifikācijas protokols %q: jābūt SHA, SHA-224, SHA-256, SHA-384 vai SHA-512",
	"unknown priv protocol %q: want AES, AES-192, AES-256, AES-192-C or AES-256-C": "nezināms šifrēšanas protokols %q: jābūt AES, AES-192, AES-256, AES-192-C vai AES-256-C",

	// Discovery targets (discovery.ParseTargets); "target %q: %s" holds one of the others.
	"no targets given": "nav norādīts neviens mērķis",
	"target %q: %s":    "mērķis %q: %s",
	"targets exceed the limit of %d hosts (at %q); split the sweep or raise the limit": "mērķi pārsniedz %d resursdatoru robežu (pie %q); sadaliet skenēšanu vai palieliniet robežu",
	"not a CIDR range: %s":                                "nav CIDR diapazons: %s",
	"host bits set; did you mean %s?":                     "iestatīti resursdatora biti; vai domājāt %s?",
	"range too large":                                     "diapazons ir par lielu",
	"port %q: want 1 to 65535":                            "ports %q: jābūt no 1 līdz 65535",
	"not a host:port: %s":                                 "nav resursdators:ports: %s",
	"neither an IP address, a CIDR range nor a host name": "nav ne IP adrese, ne CIDR diapazons, ne resursdatora nosaukums",
	"unspecified address":                                 "nenoteikta adrese",
	"multicast address":                                   "multiraides adrese",
	"broadcast address":                                   "apraides adrese",
	"zoned IPv6 addresses are not supported":              "IPv6 adreses ar zonu netiek atbalstītas",

	// Problems the pages find themselves (Server.pageProblem).
	"must be a whole number":                           "jābūt veselam skaitlim",
	"must be a whole number from 0 to 3660":            "jābūt veselam skaitlim no 0 līdz 3660",
	"choose one of the operator's networks":            "izvēlieties vienu no operatora tīkliem",
	"too many failed sign-ins: try again after %s UTC": "pārāk daudz neveiksmīgu pierakstīšanās mēģinājumu: mēģiniet vēlreiz pēc %s UTC",

	// BODS.
	"recordDetails: %v":                       "recordDetails: %v",
	"no recordId or statementId":              "nav ne recordId, ne statementId",
	"unknown recordType %q":                   "nezināms recordType %q",
	"no statementID":                          "nav statementID",
	"unknown statementType %q":                "nezināms statementType %q",
	"no BODS statements":                      "nav BODS paziņojumu",
	"not BODS JSON lines: %v":                 "nav BODS JSON rindas: %v",
	"not a JSON array of BODS statements: %v": "nav BODS paziņojumu JSON masīvs: %v",
}

// errorPageMessages are the titles of the error page, by the HTTP status it answers with.
var errorPageMessages = map[string][2]string{
	"error.status.400": {"Nepareizs pieprasījums", "Bad request"},
	"error.status.401": {"Nepieciešama pierakstīšanās", "Authentication required"},
	"error.status.403": {"Aizliegts", "Forbidden"},
	"error.status.404": {"Nav atrasts", "Not found"},
	"error.status.409": {"Konflikts", "Conflict"},
	"error.status.413": {"Pieprasījums par lielu", "Request too large"},
	"error.status.422": {"Nederīgi dati", "Invalid input"},
	"error.status.500": {"Iekšēja kļūda", "Internal error"},
}

package frontend

import (
	"time"

	"critreg/inventory"
)

// Languages are the page languages, the first the default: critreg's users work in Latvian.
var Languages = []string{"lv", "en"}

var riga = mustZone("Europe/Riga")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return l
}

// T returns the message key in lang, falling back to English and then to the key itself, so
// that a missing translation shows up on the page rather than breaking it.
func T(lang, key string) string {
	m, ok := message(key)
	if !ok {
		return key
	}
	if lang == "en" || m[0] == "" {
		return m[1]
	}
	return m[0]
}

func partName(lang, code string) string {
	p, ok := inventory.Annex6Part(code)
	if !ok {
		return code
	}
	name := p.NameLV
	if lang == "en" {
		name = p.NameEN
	}
	if p.Short != "" {
		return code + " " + p.Short + " — " + name
	}
	return code + " " + name
}

// catalogs are the message tables, one per area of the application, so that each area keeps
// its texts beside its own pages.
var catalogs = []map[string][2]string{messages, discoveryMessages, adminMessages, submissionsMessages, errorPageMessages}

// message finds key in the catalogs.
func message(key string) ([2]string, bool) {
	for _, c := range catalogs {
		if m, ok := c[key]; ok {
			return m, true
		}
	}
	return [2]string{}, false
}

// messages holds each text in Latvian and English.
var messages = map[string][2]string{
	"app":                                {"Kritisko daļu reģistrs", "Critical parts registry"},
	"nav.dashboard":                      {"Pārskats", "Dashboard"},
	"nav.items":                          {"Saraksts", "Inventory"},
	"nav.check":                          {"Izņēmuma pārbaude", "Exemption check"},
	"nav.import":                         {"Imports", "Import"},
	"nav.notices":                        {"Paziņojumi", "Notices"},
	"nav.opinions":                       {"Atzinumi", "Opinions"},
	"nav.suppliers":                      {"Piegādātāji", "Suppliers"},
	"nav.national":                       {"Valsts skats", "National view"},
	"nav.users":                          {"Lietotāji", "Users"},
	"nav.signout":                        {"Iziet", "Sign out"},
	"skip":                               {"Pāriet uz saturu", "Skip to content"},
	"lang.switch":                        {"English", "Latviski"},
	"login.title":                        {"Pieteikšanās", "Sign in"},
	"login.login":                        {"Lietotājvārds", "Login"},
	"login.password":                     {"Parole", "Password"},
	"login.submit":                       {"Pieteikties", "Sign in"},
	"login.failed":                       {"Nepareizs lietotājvārds vai parole.", "Wrong login or password."},
	"login.expired":                      {"Sesija beigusies; lūdzu, piesakieties vēlreiz.", "Your session has expired; please sign in again."},
	"tfa.code":                           {"Kods no autentifikatora lietotnes vai atkopšanas kods", "Code from the authenticator app, or a recovery code"},
	"tfa.enrol":                          {"Jūsu lomai vajadzīgs otrais faktors. Noskenējiet kodu autentifikatora lietotnē un ievadiet tās rādīto kodu.", "Your role needs a second factor. Scan the code with an authenticator app and enter the code it shows."},
	"tfa.qr":                             {"QR kods otrā faktora pievienošanai", "QR code to add the second factor"},
	"tfa.recovery":                       {"Atkopšanas kodi", "Recovery codes"},
	"tfa.recovery.keep":                  {"Saglabājiet šos kodus drošā vietā: katru var izmantot vienreiz, ja pazaudējat tālruni. Tie vairs netiks rādīti.", "Keep these codes somewhere safe: each works once if you lose your phone. They are not shown again."},
	"tfa.continue":                       {"Turpināt", "Continue"},
	"dash.title":                         {"Pārskats", "Dashboard"},
	"dash.compliance":                    {"Atbilstība 64. punktam", "Point-64 compliance"},
	"dash.parts":                         {"Saraksts pa tīkliem un kritiskajām daļām", "List by network and critical part"},
	"dash.gaps":                          {"Datu trūkumi", "Data gaps"},
	"dash.removals":                      {"Jāizņem no kritiskajām daļām", "To be removed from critical parts"},
	"dash.queue":                         {"Izskatāmie paziņojumi", "Notices to review"},
	"dash.operators":                     {"Operatori", "Operators"},
	"status.prohibited":                  {"Aizliegts", "Prohibited"},
	"status.restricted_in_scope":         {"Ierobežots (darbības jomā)", "Restricted (in scope)"},
	"status.restricted_out_of_scope":     {"Ierobežots (ārpus jomas)", "Restricted (out of scope)"},
	"status.no_objection":                {"Nav iebildumu", "No objection"},
	"status.not_assessed":                {"Nav novērtēts", "Not assessed"},
	"gap.no_supplier":                    {"Nav piegādātāja", "No supplier"},
	"gap.no_country":                     {"Nav valsts", "No country"},
	"gap.no_beneficial_owner":            {"Nav patiesā labuma guvēja", "No beneficial owner"},
	"items.title":                        {"Iekārtas, programmatūra un ārpakalpojumi", "Equipment, software and outsourcing"},
	"items.new":                          {"Pievienot", "Add item"},
	"items.filter":                       {"Atlasīt", "Filter"},
	"items.search":                       {"Meklēt", "Search"},
	"items.none":                         {"Nekas nav atrasts.", "Nothing found."},
	"items.next":                         {"Nākamā lapa", "Next page"},
	"items.first":                        {"Pirmā lapa", "First page"},
	"items.export":                       {"Eksportēt 7. pielikumu (xlsx)", "Export annex 7 (xlsx)"},
	"item.history":                       {"Vēsture", "History"},
	"item.edit":                          {"Labot", "Edit"},
	"item.delete":                        {"Dzēst", "Delete"},
	"item.save":                          {"Saglabāt", "Save"},
	"item.point64":                       {"64. punkta statuss", "Point-64 status"},
	"any":                                {"visi", "any"},
	"f.network":                          {"Tīkls", "Network"},
	"f.operator":                         {"Operators", "Operator"},
	"f.critical_part":                    {"Kritiskā daļa", "Critical part"},
	"f.kind":                             {"Veids", "Kind"},
	"f.name":                             {"Nosaukums", "Name"},
	"f.model":                            {"Modelis", "Model"},
	"f.version":                          {"Versija", "Version"},
	"f.manufacturer":                     {"Ražotājs / izstrādātājs", "Manufacturer / developer"},
	"f.manufacturer_country":             {"Ražotāja valsts", "Manufacturer country"},
	"f.distributor":                      {"Izplatītājs", "Distributor"},
	"f.outsourcing_provider":             {"Ārpakalpojuma sniedzējs", "Outsourcing provider"},
	"f.origin_country":                   {"Izcelsmes valsts", "Country of origin"},
	"f.serial":                           {"Sērijas numurs", "Serial number"},
	"f.quantity":                         {"Daudzums", "Quantity"},
	"f.site":                             {"Atrašanās vieta", "Site"},
	"f.management_address":               {"Pārvaldības adrese", "Management address"},
	"f.in_service_since":                 {"Ekspluatācijā kopš", "In service since"},
	"f.notes":                            {"Piezīmes", "Notes"},
	"f.source":                           {"Izcelsme", "Provenance"},
	"f.q":                                {"Teksts", "Text"},
	"kind.equipment":                     {"iekārta", "equipment"},
	"kind.software":                      {"programmatūra", "software"},
	"kind.outsourcing":                   {"ārpakalpojums", "outsourcing"},
	"check.title":                        {"Vai izmaiņām vajag paziņojumu?", "Does this change need a notice?"},
	"check.change":                       {"Izmaiņas", "Change"},
	"check.item":                         {"Pašreizējais ieraksts (ID)", "Current item (ID)"},
	"check.similar":                      {"Apliecinu, ka jaunās iekārtas funkcijas ir līdzīgas", "I confirm the new device has similar functions"},
	"check.submit":                       {"Pārbaudīt", "Check"},
	"check.result":                       {"Atbilde", "Answer"},
	"change.replace_device":              {"iekārtas nomaiņa", "replace a device"},
	"change.update_software":             {"programmatūras atjaunināšana", "update software"},
	"change.expand_capacity":             {"jaudas paplašināšana", "expand capacity"},
	"change.change_outsourcing_provider": {"ārpakalpojuma sniedzēja maiņa", "change outsourcing provider"},
	"change.construct":                   {"tīkla vai daļas būvniecība", "construct a network or part"},
	"change.rebuild":                     {"pārbūve", "rebuild"},
	"change.remove":                      {"izņemšana", "remove"},
	"verdict.exempt":                     {"Paziņojums nav vajadzīgs", "No notice needed"},
	"verdict.notice_required":            {"Vajadzīgs paziņojums vismaz mēnesi iepriekš", "A notice is needed at least a month ahead"},
	"verdict.no_notice":                  {"Iepriekšējs paziņojums nav vajadzīgs", "No advance notice needed"},
	"opinions.title":                     {"Biroja atzinumi", "The bureau's opinions"},
	"opinions.issue":                     {"Izdot atzinumu", "Issue an opinion"},
	"opinions.preview":                   {"Priekšskatīt ietekmi", "Preview impact"},
	"opinions.impact":                    {"Ietekme", "Impact"},
	"o.reference":                        {"Numurs", "Reference"},
	"o.subject":                          {"Priekšmets", "Subject"},
	"o.subject_kind":                     {"Priekšmeta veids", "Subject kind"},
	"o.supplier":                         {"Piegādātājs", "Supplier"},
	"o.product":                          {"Produkts", "Product"},
	"o.verdict":                          {"Lēmums", "Verdict"},
	"o.restriction":                      {"Ierobežojums", "Restriction"},
	"o.parts":                            {"Kritiskās daļas (kodi, atdalīti ar komatu)", "Critical parts (codes, comma-separated)"},
	"o.issued_on":                        {"Izdots", "Issued"},
	"o.effective_on":                     {"Spēkā no", "Effective"},
	"o.summary":                          {"Publiskais kopsavilkums", "Public summary"},
	"o.rationale":                        {"Ierobežotas pieejamības pamatojums", "Restricted rationale"},
	"o.status":                           {"Statuss", "Status"},
	"verdict.threat":                     {"apdraudējums", "threat"},
	"verdict.restricted":                 {"ierobežots", "restricted"},
	"verdict.no_objection":               {"nav iebildumu", "no objection"},
	"supplier.title":                     {"Piegādātāja lieta", "Supplier dossier"},
	"supplier.owners":                    {"Īpašnieki un kontrole", "Owners and control"},
	"supplier.indicators":                {"65. punkta pazīmes", "Point-65 indicators"},
	"supplier.unknown":                   {"Nav novērtējams", "Cannot be assessed"},
	"supplier.eligibility":               {"76. punkta atbilstība", "Point-76 eligibility"},
	"suppliers.title":                    {"Piegādātāju reģistrs", "Supplier register"},
	"national.title":                     {"Ražotāju daļa pa kritiskajām funkcijām", "Vendor share per critical function"},
	"import.title":                       {"Saraksta imports no Excel", "Import the list from Excel"},
	"import.file":                        {"Darbgrāmata (.xlsx)", "Workbook (.xlsx)"},
	"import.dry":                         {"Pārbaudīt (nekas netiek mainīts)", "Check (nothing is changed)"},
	"import.commit":                      {"Importēt", "Import"},
	"import.sync":                        {"Fails ir viss šo tīklu saraksts (dzēst pārējos)", "The file is the whole list of its networks (remove the rest)"},
	"import.problems":                    {"Atrastās problēmas", "Problems found"},
	"import.changes":                     {"Izmaiņas", "Changes"},
	"notices.title":                      {"Izmaiņu paziņojumi", "Change notices"},
	"notice.new":                         {"Jauns izmaiņu paziņojums", "New change notice"},
	"notice.subject":                     {"Temats", "Subject"},
	"notice.draft":                       {"Saglabāt melnrakstu", "Save draft"},
	"notice.planned":                     {"Plānotais sākums", "Planned start"},
	"notice.submitted":                   {"Iesniegts", "Submitted"},
	"notice.earliest":                    {"Agrākais sākums", "Earliest start"},
	"notice.response":                    {"Biroja atbilde", "The bureau's answer"},
	"notice.receipt":                     {"Apliecinājums", "Receipt"},
	"notice.lines":                       {"Plānotās izmaiņas", "Planned changes"},
	"notice.what":                        {"Kas tiek ieviests", "What goes in"},
	"notice.done":                        {"Izpildīts", "Carried out"},
	"notice.objection":                   {"Atzinums, uz kuru balstīti iebildumi", "Opinion the objection rests on"},
	"notice.note":                        {"Piezīme", "Note"},
	"notice.addline":                     {"Pievienot izmaiņas", "Add a change"},
	"action.submit":                      {"Iesniegt", "Submit"},
	"action.withdraw":                    {"Atsaukt", "Withdraw"},
	"action.resubmit":                    {"Iesniegt atkārtoti", "Resubmit"},
	"action.review":                      {"Sākt izskatīšanu", "Start review"},
	"action.accept":                      {"Pieņemt", "Accept"},
	"action.object":                      {"Iebilst", "Object"},
	"action.request_info":                {"Pieprasīt informāciju", "Request information"},
	"state.draft":                        {"melnraksts", "draft"},
	"state.submitted":                    {"iesniegts", "submitted"},
	"state.under_review":                 {"izskatīšanā", "under review"},
	"state.accepted":                     {"pieņemts", "accepted"},
	"state.objection":                    {"iebildumi", "objection"},
	"state.information_requested":        {"pieprasīta informācija", "information requested"},
	"state.resubmitted":                  {"iesniegts atkārtoti", "resubmitted"},
	"state.withdrawn":                    {"atsaukts", "withdrawn"},
	"users.title":                        {"Lietotāji", "Users"},
	"users.add":                          {"Pievienot lietotāju", "Add user"},
	"users.role":                         {"Loma", "Role"},
	"users.suspend":                      {"Apturēt", "Suspend"},
	"users.unsuspend":                    {"Atjaunot", "Reinstate"},
	"users.suspended":                    {"apturēts", "suspended"},
	"error.title":                        {"Kļūda", "Error"},
	"error.back":                         {"Uz sākumu", "Back to the start"},
	"count":                              {"Skaits", "Count"},
	"total":                              {"Kopā", "Total"},
	"yes":                                {"jā", "yes"},
	"no":                                 {"nē", "no"},
	"legacy":                             {"123. punkta tīkls (64. punkts no 2030-01-01)", "point-123 network (point 64 from 2030-01-01)"},
	"from":                               {"no", "from"},
	"actions":                            {"Darbības", "Actions"},
	"when":                               {"Laiks", "When"},
	"who":                                {"Kas", "Who"},
	"what":                               {"Kas mainīts", "What"},
	"nav.networks":                       {"Tīkli", "Networks"},
	"nav.tokens":                         {"API pilnvaras", "API tokens"},
	"networks.title":                     {"Tīkli", "Networks"},
	"networks.technology":                {"Tehnoloģija", "Technology"},
	"networks.parts":                     {"Kritiskās daļas", "Critical parts"},
	"networks.items":                     {"Vienības", "Items"},
	"networks.none":                      {"Nav neviena tīkla.", "No networks."},
	"tokens.title":                       {"API pilnvaras", "API tokens"},
	"tokens.user":                        {"Lietotājs", "User"},
	"tokens.show":                        {"Rādīt", "Show"},
	"tokens.name":                        {"Nosaukums", "Name"},
	"tokens.scope":                       {"Tiesības", "Scope"},
	"tokens.expires_days":                {"Derīga dienas (0 — bez termiņa)", "Valid for days (0: no expiry)"},
	"tokens.create":                      {"Izveidot pilnvaru", "Create token"},
	"tokens.secret":                      {"Jaunā pilnvara. Nokopējiet to tagad: critreg to vairs neparādīs.", "The new token. Copy it now: critreg will not show it again."},
	"tokens.prefix":                      {"Sākums", "Starts with"},
	"tokens.created":                     {"Izveidota", "Created"},
	"tokens.expires":                     {"Derīga līdz", "Expires"},
	"tokens.last_used":                   {"Pēdējoreiz lietota", "Last used"},
	"tokens.revoke":                      {"Atsaukt", "Revoke"},
	"tokens.revoked":                     {"atsaukta", "revoked"},
	"tokens.none":                        {"Pilnvaru nav.", "No tokens."},
}

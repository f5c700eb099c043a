//! The workbench's own words in Dutch, English and French. Explanations come from the library,
//! in the page's language (`UiLang::lang`).

use grondslag::syntax::ast::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UiLang {
    Nl,
    En,
    Fr,
}

impl UiLang {
    pub const ALL: [UiLang; 3] = [UiLang::Nl, UiLang::En, UiLang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            UiLang::Nl => "nl",
            UiLang::En => "en",
            UiLang::Fr => "fr",
        }
    }

    pub fn parse(code: &str) -> Option<UiLang> {
        UiLang::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn of(lang: Lang) -> UiLang {
        match lang {
            Lang::Nl => UiLang::Nl,
            Lang::En => UiLang::En,
            Lang::Fr => UiLang::Fr,
        }
    }

    /// The library's language of the same name: the one explanations are written in.
    pub fn lang(self) -> Lang {
        match self {
            UiLang::Nl => Lang::Nl,
            UiLang::En => Lang::En,
            UiLang::Fr => Lang::Fr,
        }
    }

    /// A word of the pages.
    pub fn t(self, key: &str) -> &'static str {
        let (nl, en, fr) = words(key);
        match self {
            UiLang::Nl => nl,
            UiLang::En => en,
            UiLang::Fr => fr,
        }
    }
}

fn words(key: &str) -> (&'static str, &'static str, &'static str) {
    match key {
        "title" => ("Werkbank", "Workbench", "Atelier"),
        "case" => ("Casus", "Case", "Cas"),
        "bill" => ("Wetsontwerp", "Draft bill", "Projet de loi"),
        "law" => ("Wet", "Law", "Loi"),
        "case_intro" => (
            "Beschrijf een casus met de formulieren; de tekst ernaast volgt, en omgekeerd. Het oordeel wordt bij elke wijziging opnieuw bepaald.",
            "State a case with the forms; the text beside them follows, and the other way round. The verdict is worked out again on every change.",
            "Décrivez un cas avec les formulaires ; le texte à côté suit, et inversement. Le verdict est recalculé à chaque modification.",
        ),
        "case_header" => ("De casus", "The case", "Le cas"),
        "name" => ("Naam", "Name", "Nom"),
        "case_title" => ("Titel", "Title", "Titre"),
        "date" => ("Datum", "Date", "Date"),
        "add_fact" => ("Een feit toevoegen", "Add a fact", "Ajouter un fait"),
        "statement" => ("Soort feit", "Kind of fact", "Type de fait"),
        "choose" => ("— kies —", "— choose —", "— choisir —"),
        "add" => ("Toevoegen", "Add", "Ajouter"),
        "facts_group" => ("Feiten van de casus", "Facts of the case", "Faits du cas"),
        "concluded_group" => (
            "Ook afgeleid door de wet",
            "Also concluded by the law",
            "Aussi conclus par la loi",
        ),
        "facts" => ("Feiten", "Facts", "Faits"),
        "remove" => ("verwijderen", "remove", "supprimer"),
        "text" => ("Tekst (.law)", "Text (.law)", "Texte (.law)"),
        "verdict" => ("Oordeel", "Verdict", "Verdict"),
        "memo" => ("Redenering", "Reasoning", "Raisonnement"),
        "graph" => ("Beslissend pad", "Decisive path", "Chemin décisif"),
        "problems" => ("Problemen", "Problems", "Problèmes"),
        "no_processing" => (
            "Nog geen verwerking: voeg een verstrekking toe (disclosure).",
            "No processing yet: add a disclosure.",
            "Aucun traitement : ajoutez une communication (disclosure).",
        ),
        "lawful" => ("rechtmatig", "lawful", "licite"),
        "unlawful" => ("onrechtmatig", "unlawful", "illicite"),
        "undetermined" => ("onbepaald", "undetermined", "indéterminé"),
        "working" => ("bezig …", "working …", "en cours …"),
        "cancel" => ("Afbreken", "Cancel", "Annuler"),
        "open" => ("Openen", "Open", "Ouvrir"),
        "save" => ("Opslaan als", "Save as", "Enregistrer sous"),
        "saved" => ("Opgeslagen", "Saved", "Enregistré"),
        "replace" => (
            "dit bestand bestaat al. Vervangen?",
            "this file exists. Replace it?",
            "ce fichier existe déjà. Le remplacer ?",
        ),
        "new_case" => ("Nieuwe casus", "New case", "Nouveau cas"),
        "bundled_cases" => ("Meegeleverde casussen", "Bundled cases", "Cas fournis"),
        "bundled_bills" => (
            "Meegeleverde ontwerpen",
            "Bundled bills",
            "Projets fournis",
        ),
        "folder_files" => ("In de map", "In the folder", "Dans le dossier"),
        "did_you_mean" => ("bedoelt u", "did you mean", "vouliez-vous dire"),
        "bill_intro" => (
            "Kies of schrijf een wetsontwerp en een datum van inwerkingtreding, en zie welke casussen van oordeel veranderen.",
            "Choose or write a draft bill and an effective date, and see which cases change verdict.",
            "Choisissez ou écrivez un projet de loi et une date d'entrée en vigueur, et voyez quels cas changent de verdict.",
        ),
        "bill_text" => ("Tekst van het ontwerp", "Text of the bill", "Texte du projet"),
        "effective" => ("Datum", "Date", "Date"),
        "cases_from" => ("Casussen", "Cases", "Cas"),
        "folder_and_bundled" => ("map en meegeleverd", "folder and bundled", "dossier et fournis"),
        "folder_only" => ("alleen de map", "the folder only", "le dossier seulement"),
        "bundled_only" => ("alleen meegeleverd", "bundled only", "fournis seulement"),
        "run" => ("Vergelijken", "Compare", "Comparer"),
        "filter_verdict" => ("Alleen gewijzigde oordelen", "Only changed verdicts", "Seulement les verdicts modifiés"),
        "filter_norm" => ("Norm", "Norm", "Norme"),
        "all" => ("alle", "all", "toutes"),
        "export" => ("Rapport", "Report", "Rapport"),
        "before" => ("Voor", "Before", "Avant"),
        "after" => ("Na", "After", "Après"),
        "verdict_changes" => ("Oordeel verandert", "Verdict changes", "Le verdict change"),
        "reasons_change" => ("Redenen veranderen", "Reasons change", "Les motifs changent"),
        "unchanged" => ("Ongewijzigd", "Unchanged", "Inchangés"),
        "law_intro" => (
            "De kennisbank per wet en artikel: elke norm, zijn bron, zijn uitzonderingen en wat voorgaat, en zijn geldigheid.",
            "The knowledge base by statute and article: each norm, its source, its exceptions and what beats what, and its period in force.",
            "La base de connaissances par loi et article : chaque norme, sa source, ses exceptions et leurs priorités, et sa période de validité.",
        ),
        "beats" => ("gaat voor", "beats", "l'emporte sur"),
        "yields" => ("wijkt voor", "yields to", "cède devant"),
        "in_force" => ("geldt", "in force", "en vigueur"),
        "from" => ("vanaf", "from", "à partir du"),
        "until" => ("tot", "until", "jusqu'au"),
        "always" => ("altijd", "always", "toujours"),
        "norm" => ("norm", "norm", "norme"),
        "norms" => ("normen", "norms", "normes"),
        "source" => ("bron", "source", "source"),
        "no_source" => ("geen bron", "no source", "pas de source"),
        _ => ("?", "?", "?"),
    }
}

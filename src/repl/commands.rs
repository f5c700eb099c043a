//! The REPL's meta-commands (docs/repl.md): one table that parsing, completion, hints and `:help`
//! all read, so a command cannot exist without its help line.

use std::fmt::Write as _;
use std::path::PathBuf;

/// A meta-command as the user asked for it, arguments checked for shape (not for meaning:
/// whether an atom parses or a file exists is the session's business).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Help(Option<String>),
    Why(String),
    WhyNot(String),
    Explain(String),
    Load(PathBuf),
    Reload,
    Retract(String),
    Facts(Option<String>),
    Rules(Option<String>),
    Preds,
    Bill(PathBuf),
    Diff,
    AsOf(Option<String>),
    Lang(Option<String>),
    OpenNorms(Option<String>),
    Detail(Option<String>),
    Export {
        format: String,
        file: PathBuf,
        atom: String,
        /// Write over the file if it exists (the user said yes); never over an input.
        overwrite: bool,
    },
    History(Option<String>),
    Quit,
}

/// What a command's argument is, for completion and hints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Argument {
    Nothing,
    /// A ground atom such as `lawful(d1)`.
    Atom,
    /// A fact such as `discloses(d1, a, b).`
    Fact,
    /// A predicate name.
    Predicate,
    Path,
    Date,
    /// One of a fixed set of words.
    Word(&'static [&'static str]),
    /// `FORMAT FILE ATOM`.
    Export,
    /// Another command's name.
    Command,
}

pub struct CommandSpec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// The argument synopsis shown in `:help` and in hints.
    pub synopsis: &'static str,
    pub argument: Argument,
    pub summary: &'static str,
    build: fn(&str) -> Result<Command, String>,
}

/// Export formats of docs/explanations.md.
pub const EXPORT_FORMATS: &[&str] = &["text", "json", "dot", "mermaid", "md", "html"];
pub const LANGUAGES: &[&str] = &["nl", "en", "fr"];
pub const OPEN_NORM_MODES: &[&str] = &grondslag::driver::OpenNorms::NAMES;
pub const DETAILS: &[&str] = &["summary", "full"];
pub const HISTORY_SWITCHES: &[&str] = &["on", "off", "clear"];

/// Every meta-command, in the order `:help` lists them.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "help",
        aliases: &["h", "?"],
        synopsis: "[COMMAND]",
        argument: Argument::Command,
        summary: "this list, or the help of one command",
        build: |a| Ok(Command::Help(optional(a))),
    },
    CommandSpec {
        name: "why",
        aliases: &[],
        synopsis: "ATOM",
        argument: Argument::Atom,
        summary: "why ATOM holds: its derivation down to the facts, each rule with its source",
        build: |a| required(a, "an atom, e.g. `:why lawful(d1)`").map(Command::Why),
    },
    CommandSpec {
        name: "whynot",
        aliases: &["why-not"],
        synopsis: "ATOM",
        argument: Argument::Atom,
        summary: "why ATOM does not hold: what argues against it, and what each rule for it lacks",
        build: |a| required(a, "an atom, e.g. `:whynot lawful(d2)`").map(Command::WhyNot),
    },
    CommandSpec {
        name: "explain",
        aliases: &["e"],
        synopsis: "ATOM",
        argument: Argument::Atom,
        summary: "`:why` or `:whynot`, whichever applies",
        build: |a| required(a, "an atom, e.g. `:explain lawful(d1)`").map(Command::Explain),
    },
    CommandSpec {
        name: "load",
        aliases: &["l"],
        synopsis: "PATH",
        argument: Argument::Path,
        summary: "add a .law file, or every .law file below a directory",
        build: |a| required(a, "a file or directory").map(|p| Command::Load(PathBuf::from(p))),
    },
    CommandSpec {
        name: "reload",
        aliases: &["r"],
        synopsis: "",
        argument: Argument::Nothing,
        summary: "read the knowledge base and loaded files again, then replay what you typed",
        build: |a| none(a, Command::Reload),
    },
    CommandSpec {
        name: "retract",
        aliases: &[],
        synopsis: "FACT",
        argument: Argument::Fact,
        summary: "take back a fact you stated (typed or loaded), e.g. `:retract consent(d1).`",
        build: |a| required(a, "a fact, e.g. `:retract consent(d1).`").map(Command::Retract),
    },
    CommandSpec {
        name: "facts",
        aliases: &["f"],
        synopsis: "[PRED]",
        argument: Argument::Predicate,
        summary: "the facts stated in this session, or every stated fact of PRED",
        build: |a| Ok(Command::Facts(optional(a))),
    },
    CommandSpec {
        name: "rules",
        aliases: &[],
        synopsis: "[PRED]",
        argument: Argument::Predicate,
        summary: "the rules added in this session, or every rule that concludes PRED",
        build: |a| Ok(Command::Rules(optional(a))),
    },
    CommandSpec {
        name: "preds",
        aliases: &["p"],
        synopsis: "",
        argument: Argument::Nothing,
        summary: "every predicate with its arity, facts, rules and description",
        build: |a| none(a, Command::Preds),
    },
    CommandSpec {
        name: "bill",
        aliases: &[],
        synopsis: "FILE",
        argument: Argument::Path,
        summary: "add a draft bill on top of the law in force",
        build: |a| required(a, "a bill file").map(|p| Command::Bill(PathBuf::from(p))),
    },
    CommandSpec {
        name: "diff",
        aliases: &[],
        synopsis: "",
        argument: Argument::Nothing,
        summary: "the conclusions that change because of the bills added",
        build: |a| none(a, Command::Diff),
    },
    CommandSpec {
        name: "asof",
        aliases: &["as-of"],
        synopsis: "[DATE|none]",
        argument: Argument::Date,
        summary:
            "apply the law in force on DATE (YYYY-MM-DD); `none`: the bills', the case's or today's date; no DATE: show it",
        build: |a| Ok(Command::AsOf(optional(a))),
    },
    CommandSpec {
        name: "lang",
        aliases: &[],
        synopsis: "[nl|en|fr]",
        argument: Argument::Word(LANGUAGES),
        summary: "the language of explanations; no argument: show it",
        build: |a| Ok(Command::Lang(optional(a))),
    },
    CommandSpec {
        name: "opennorms",
        aliases: &["open-norms"],
        synopsis: "[assume|open]",
        argument: Argument::Word(OPEN_NORM_MODES),
        summary: "open norms the case does not assess: presume them (\"provided that\") or leave them open (undetermined); no argument: show it",
        build: |a| Ok(Command::OpenNorms(optional(a))),
    },
    CommandSpec {
        name: "detail",
        aliases: &[],
        synopsis: "[summary|full]",
        argument: Argument::Word(DETAILS),
        summary: "explanations as the memo alone (summary) or the memo and the full derivation; no argument: show it",
        build: |a| Ok(Command::Detail(optional(a))),
    },
    CommandSpec {
        name: "export",
        aliases: &[],
        synopsis: "FORMAT FILE ATOM",
        argument: Argument::Export,
        summary: "write the explanation of ATOM to FILE (text, json, dot, mermaid, md, html)",
        build: build_export,
    },
    CommandSpec {
        name: "history",
        aliases: &[],
        synopsis: "[on|off|clear]",
        argument: Argument::Word(HISTORY_SWITCHES),
        summary: "keep a history file or not (case facts are personal data); `clear` deletes it",
        build: |a| Ok(Command::History(optional(a))),
    },
    CommandSpec {
        name: "quit",
        aliases: &["q", "exit"],
        synopsis: "",
        argument: Argument::Nothing,
        summary: "leave (Ctrl-D does too)",
        build: |a| none(a, Command::Quit),
    },
];

/// Parse a line that starts with `:`.
pub fn parse(line: &str) -> Result<Command, String> {
    let line = line.trim();
    let rest = line.strip_prefix(':').unwrap_or(line);
    let (word, args) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let spec = find(word)?;
    (spec.build)(args).map_err(|e| format!("`:{}` needs {e}; usage: {}", spec.name, usage(spec)))
}

/// The command a word names: its name, an alias, or an unambiguous beginning of a name.
pub fn find(word: &str) -> Result<&'static CommandSpec, String> {
    if word.is_empty() {
        return Err("a command name must follow `:`; `:help` lists them".into());
    }
    if let Some(spec) = COMMANDS
        .iter()
        .find(|s| s.name == word || s.aliases.contains(&word))
    {
        return Ok(spec);
    }
    let starting: Vec<&CommandSpec> = COMMANDS
        .iter()
        .filter(|s| s.name.starts_with(word))
        .collect();
    match starting.as_slice() {
        [one] => Ok(one),
        [] => {
            let nearest = COMMANDS
                .iter()
                .map(|s| (strsim::levenshtein(s.name, word), s.name))
                .min()
                .filter(|(d, _)| *d <= 2);
            Err(match nearest {
                Some((_, name)) => {
                    format!("there is no command `:{word}`; did you mean `:{name}`? (`:help` lists them)")
                }
                None => format!("there is no command `:{word}`; `:help` lists them"),
            })
        }
        many => Err(format!(
            "`:{word}` could be {}; type more of it",
            many.iter()
                .map(|s| format!("`:{}`", s.name))
                .collect::<Vec<_>>()
                .join(" or ")
        )),
    }
}

pub fn usage(spec: &CommandSpec) -> String {
    if spec.synopsis.is_empty() {
        format!(":{}", spec.name)
    } else {
        format!(":{} {}", spec.name, spec.synopsis)
    }
}

/// `:help`, generated from the table, with how to type statements and queries first.
pub fn help() -> String {
    let mut out = String::new();
    out.push_str(
        "Type a fact or rule to add it, ending with `.`; it may run over several lines.\n\
         Ask with `?- goal.` or `goal?`.  Ctrl-C abandons the input or a long evaluation; Ctrl-D leaves.\n\n",
    );
    let width = COMMANDS.iter().map(|s| usage(s).len()).max().unwrap_or(0);
    for spec in COMMANDS {
        let _ = writeln!(out, "  {:width$}  {}", usage(spec), spec.summary);
    }
    out.push_str("\nCommands may be shortened while unambiguous (`:wh` is not, `:whyn` is). Tab completes.\n");
    out
}

/// `:help COMMAND`.
pub fn help_for(word: &str) -> Result<String, String> {
    let spec = find(word.trim_start_matches(':'))?;
    let mut out = format!("{}\n  {}\n", usage(spec), spec.summary);
    if !spec.aliases.is_empty() {
        let aliases: Vec<String> = spec.aliases.iter().map(|a| format!(":{a}")).collect();
        let _ = writeln!(out, "  also: {}", aliases.join(", "));
    }
    Ok(out)
}

fn optional(args: &str) -> Option<String> {
    (!args.is_empty()).then(|| args.to_string())
}

fn required(args: &str, what: &str) -> Result<String, String> {
    if args.is_empty() {
        Err(what.to_string())
    } else {
        Ok(args.to_string())
    }
}

fn none(args: &str, command: Command) -> Result<Command, String> {
    if args.is_empty() {
        Ok(command)
    } else {
        Err(format!("no argument, but got `{args}`"))
    }
}

fn build_export(args: &str) -> Result<Command, String> {
    let mut words = args.splitn(3, char::is_whitespace);
    let (Some(format), Some(file), Some(atom)) = (words.next(), words.next(), words.next()) else {
        return Err("a format, a file and an atom".into());
    };
    if !EXPORT_FORMATS.contains(&format) {
        return Err(format!(
            "a format among {}, not `{format}`",
            EXPORT_FORMATS.join(", ")
        ));
    }
    Ok(Command::Export {
        format: format.to_string(),
        file: PathBuf::from(file),
        atom: atom.trim().to_string(),
        overwrite: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_aliases_and_unambiguous_prefixes_find_their_command() {
        assert_eq!(parse(":quit"), Ok(Command::Quit));
        assert_eq!(parse(":q"), Ok(Command::Quit));
        assert_eq!(
            parse(":whyn lawful(d1)"),
            Ok(Command::WhyNot("lawful(d1)".into()))
        );
        assert_eq!(
            parse(":why  lawful(d1) "),
            Ok(Command::Why("lawful(d1)".into()))
        );
        assert_eq!(parse(":facts"), Ok(Command::Facts(None)));
        assert!(parse(":wh x").unwrap_err().contains("`:why` or `:whynot`"));
    }

    #[test]
    fn mistakes_are_explained() {
        assert!(parse(":qiut").unwrap_err().contains("did you mean `:quit`"));
        assert!(parse(":why").unwrap_err().contains("usage: :why ATOM"));
        assert!(parse(":reload now").unwrap_err().contains("no argument"));
        assert!(parse(":export pdf out.pdf lawful(d1)")
            .unwrap_err()
            .contains("not `pdf`"));
        assert_eq!(
            parse(":export md memo.md lawful(d1)"),
            Ok(Command::Export {
                format: "md".into(),
                file: "memo.md".into(),
                atom: "lawful(d1)".into(),
                overwrite: false,
            })
        );
    }

    #[test]
    fn help_lists_every_command_of_the_table() {
        let help = help();
        for spec in COMMANDS {
            assert!(
                help.contains(&usage(spec)),
                "{} missing from help",
                spec.name
            );
        }
        // The commands docs/repl.md lists are all there.
        for name in [
            "help", "why", "whynot", "explain", "load", "reload", "retract", "facts", "rules",
            "preds", "bill", "diff", "asof", "lang", "export", "history", "quit",
        ] {
            assert!(find(name).is_ok(), "{name}");
        }
    }
}

//! The logos lexer: source text to tokens with byte ranges. Never fails; bad input becomes `Token::Error`.

use logos::Logos;
use std::ops::Range;

/// One token kind. The text of names, numbers and strings is read back from the source by range.
#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[logos(skip r"[ \t\r\f]+")]
pub enum Token {
    // Comments are kept so the formatter and the LSP can see them; the parser sorts them by prefix.
    /// `// ...`, `/// ...` or `//! ...` up to the end of the line.
    #[regex(r"//[^\n]*", allow_greedy = true)]
    Comment,
    #[token("\n")]
    Newline,

    #[token("skill")]
    Skill,
    #[token("fn")]
    Fn,
    #[token("cell")]
    Cell,
    #[token("const")]
    Const,
    #[token("struct")]
    Struct,
    #[token("enum")]
    Enum,
    #[token("use")]
    Use,
    #[token("test")]
    Test,
    #[token("let")]
    Let,
    #[token("var")]
    Var,
    #[token("if")]
    If,
    #[token("else")]
    Else,
    #[token("for")]
    For,
    #[token("in")]
    In,
    #[token("while")]
    While,
    #[token("return")]
    Return,
    #[token("fail")]
    Fail,
    #[token("ensure")]
    Ensure,
    #[token("requires")]
    Requires,
    #[token("ensures")]
    Ensures,
    #[token("limits")]
    Limits,
    #[token("retry")]
    Retry,
    #[token("try")]
    Try,
    #[token("recover")]
    Recover,
    #[token("within")]
    Within,
    #[token("parallel")]
    Parallel,
    #[token("and")]
    And,
    #[token("or")]
    Or,
    #[token("not")]
    Not,
    #[token("true")]
    True,
    #[token("false")]
    False,
    #[token("none")]
    None,
    #[token("match")]
    Match,
    #[token("pub")]
    Pub,
    #[token("runs")]
    Runs,
    #[token("expect")]
    Expect,
    #[token("success")]
    Success,
    #[token("extern")]
    Extern,

    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Ident,
    #[regex(r"[0-9][0-9_]*")]
    Int,
    #[regex(r"[0-9][0-9_]*\.[0-9][0-9_]*([eE][+-]?[0-9]+)?")]
    #[regex(r"[0-9][0-9_]*[eE][+-]?[0-9]+")]
    Real,
    /// A string literal with its quotes; escapes and `{expr}` pieces are handled by the parser.
    #[regex(r#""([^"\\\n]|\\[^\n])*""#)]
    Str,
    /// A string that reaches the end of the line without its closing quote.
    #[regex(r#""([^"\\\n]|\\[^\n])*"#)]
    UnterminatedStr,

    /// `'text'`: a mistake (strings take double quotes), lexed whole so it is reported once.
    #[regex(r"'[^'\n]*'")]
    SingleQuoted,

    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token(",")]
    Comma,
    #[token(":")]
    Colon,
    #[token("::")]
    ColonColon,
    #[token(";")]
    Semi,
    #[token(".")]
    Dot,
    #[token("..")]
    DotDot,
    #[token("->")]
    Arrow,
    #[token("=>")]
    FatArrow,
    #[token("=")]
    Assign,
    #[token("==")]
    EqEq,
    #[token("!=")]
    NotEq,
    #[token("<")]
    Lt,
    #[token("<=")]
    Le,
    #[token(">")]
    Gt,
    #[token(">=")]
    Ge,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("^")]
    Caret,
    #[token("?")]
    Question,
    // Spellings from other languages, lexed so the parser can suggest the Deft word.
    #[token("&&")]
    AmpAmp,
    #[token("||")]
    PipePipe,
    #[token("!")]
    Bang,

    /// A character that starts no token.
    Error,
    /// The end of the input; never produced by `lex`, used by the parser as a sentinel.
    Eof,
}

impl Token {
    /// How the token is named in "expected X, found Y" messages.
    pub fn describe(self) -> &'static str {
        use Token::*;
        match self {
            Comment => "comment",
            Newline => "end of line",
            Skill => "'skill'",
            Fn => "'fn'",
            Cell => "'cell'",
            Const => "'const'",
            Struct => "'struct'",
            Enum => "'enum'",
            Use => "'use'",
            Test => "'test'",
            Let => "'let'",
            Var => "'var'",
            If => "'if'",
            Else => "'else'",
            For => "'for'",
            In => "'in'",
            While => "'while'",
            Return => "'return'",
            Fail => "'fail'",
            Ensure => "'ensure'",
            Requires => "'requires'",
            Ensures => "'ensures'",
            Limits => "'limits'",
            Retry => "'retry'",
            Try => "'try'",
            Recover => "'recover'",
            Within => "'within'",
            Parallel => "'parallel'",
            And => "'and'",
            Or => "'or'",
            Not => "'not'",
            True => "'true'",
            False => "'false'",
            None => "'none'",
            Match => "'match'",
            Pub => "'pub'",
            Runs => "'runs'",
            Expect => "'expect'",
            Success => "'success'",
            Extern => "'extern'",
            Ident => "name",
            Int | Real => "number",
            Str | UnterminatedStr | SingleQuoted => "string",
            LParen => "'('",
            RParen => "')'",
            LBracket => "'['",
            RBracket => "']'",
            LBrace => "'{'",
            RBrace => "'}'",
            Comma => "','",
            Colon => "':'",
            ColonColon => "'::'",
            Semi => "';'",
            Dot => "'.'",
            DotDot => "'..'",
            Arrow => "'->'",
            FatArrow => "'=>'",
            Assign => "'='",
            EqEq => "'=='",
            NotEq => "'!='",
            Lt => "'<'",
            Le => "'<='",
            Gt => "'>'",
            Ge => "'>='",
            Plus => "'+'",
            Minus => "'-'",
            Star => "'*'",
            Slash => "'/'",
            Percent => "'%'",
            Caret => "'^'",
            Question => "'?'",
            AmpAmp => "'&&'",
            PipePipe => "'||'",
            Bang => "'!'",
            Error => "invalid character",
            Eof => "end of file",
        }
    }

    /// Whether the token is a keyword (for highlighting and for the formatter).
    pub fn is_keyword(self) -> bool {
        use Token::*;
        matches!(
            self,
            Skill
                | Fn
                | Cell
                | Const
                | Struct
                | Enum
                | Use
                | Test
                | Let
                | Var
                | If
                | Else
                | For
                | In
                | While
                | Return
                | Fail
                | Ensure
                | Requires
                | Ensures
                | Limits
                | Retry
                | Try
                | Recover
                | Within
                | Parallel
                | And
                | Or
                | Not
                | True
                | False
                | None
                | Match
                | Pub
                | Runs
                | Expect
                | Success
                | Extern
        )
    }

    /// Keywords that start an item; the parser resynchronises at them after a mistake.
    pub fn starts_item(self) -> bool {
        use Token::*;
        matches!(self, Skill | Fn | Cell | Const | Struct | Enum | Use | Test | Pub | Extern)
    }
}

/// Split `source` into tokens, comments and newlines included. Invalid characters become `Token::Error`
/// (one token per character), so the output always covers every non-blank byte of the source.
pub fn lex(source: &str) -> Vec<(Token, Range<usize>)> {
    Token::lexer(source).spanned().map(|(token, range)| (token.unwrap_or(Token::Error), range)).collect()
}

// The source of syntaxes/deft.tmLanguage.json: the unit and keyword regexes are built once here and
// escaped by JSON.stringify, instead of being hand-copied into JSON. After editing, run
// `node scripts/grammar.js syntaxes/deft.tmLanguage.json`; tests/tests/editors.rs checks the two agree.
'use strict';

// Every keyword of compiler/src/syntax/lexer.rs; none but `in` (the inch) can be a unit.
const KW = ['skill','fn','cell','const','struct','enum','use','test','let','var','if','else','for','in','while','return','fail','ensure','requires','ensures','limits','retry','try','recover','within','parallel','and','or','not','true','false','none','match','pub','runs','expect','success','extern'];
const notKw = `(?!(?:${KW.filter(k => k !== 'in').join('|')})\\b)`;
const NUM = String.raw`[0-9][0-9_]*(?:\.[0-9][0-9_]*)?(?:[eE][+-]?[0-9]+)?`;
const NAME = String.raw`(?:%|${notKw}[A-Za-z_][A-Za-z0-9_]*\b)`;
const FACTOR = String.raw`${NAME}(?:[ \t]*\^[ \t]*-?[ \t]*[0-9][0-9_]*)?`;
const UNIT = String.raw`${FACTOR}(?:[ \t]*[*/][ \t]*${FACTOR})*`;
// After a number, `%` is the percent unit unless an operand follows it (`10 % 3` is a remainder).
const FIRST = String.raw`(?:%(?![ \t]*[0-9A-Za-z_("])|${notKw}[A-Za-z_][A-Za-z0-9_]*\b(?:[ \t]*\^[ \t]*-?[ \t]*[0-9][0-9_]*)?(?:[ \t]*[*/][ \t]*${FACTOR})*)`;
const IDENT = String.raw`[A-Za-z_][A-Za-z0-9_]*`;

const g = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'Deft',
  scopeName: 'source.deft',
  fileTypes: ['skill'],
  patterns: [{ include: '#comments' }, { include: '#strings' }, { include: '#declarations' }, { include: '#expression' }],
  repository: {
    comments: {
      patterns: [
        { name: 'comment.line.documentation.inner.deft', match: '(//!).*$', captures: { 1: { name: 'punctuation.definition.comment.deft' } } },
        { name: 'comment.line.documentation.deft', match: '(///)(?!/).*$', captures: { 1: { name: 'punctuation.definition.comment.deft' } } },
        { name: 'comment.line.double-slash.deft', match: '(//).*$', captures: { 1: { name: 'punctuation.definition.comment.deft' } } },
      ],
    },
    strings: {
      patterns: [
        {
          name: 'string.quoted.double.deft',
          begin: '"',
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.deft' } },
          end: '(")|$',
          endCaptures: { 1: { name: 'punctuation.definition.string.end.deft' } },
          patterns: [
            { name: 'constant.character.escape.deft', match: String.raw`\\[nt"\\{}]` },
            { name: 'invalid.illegal.escape.deft', match: String.raw`\\.` },
            { include: '#interpolation' },
          ],
        },
        // Strings take double quotes; the lexer reports 'text' as a mistake.
        { name: 'invalid.illegal.string.single-quoted.deft', match: "'[^'\\n]*'" },
      ],
    },
    interpolation: {
      name: 'meta.interpolation.deft',
      begin: String.raw`\{`,
      beginCaptures: { 0: { name: 'punctuation.section.interpolation.begin.deft' } },
      // An interpolated expression holds no string, so a quote ends it (and then the string).
      end: String.raw`(\})|(?=")|$`,
      endCaptures: { 1: { name: 'punctuation.section.interpolation.end.deft' } },
      contentName: 'source.deft.embedded',
      patterns: [{ include: '#expression' }],
    },
    declarations: {
      patterns: [
        {
          // Keywords may be used as names after `fn`/`skill` (the prelude declares `e.skill`).
          match: String.raw`\b(?:(pub)[ \t]+)?(?:(extern)[ \t]+)?(skill|fn)[ \t]+(${IDENT})`,
          captures: {
            1: { name: 'storage.modifier.deft' },
            2: { name: 'storage.modifier.deft' },
            3: { name: 'keyword.declaration.function.deft' },
            4: { name: 'entity.name.function.deft' },
          },
        },
        {
          match: String.raw`\b(?:(pub)[ \t]+)?(struct|enum)[ \t]+(${IDENT})`,
          captures: {
            1: { name: 'storage.modifier.deft' },
            2: { name: 'keyword.declaration.type.deft' },
            3: { name: 'entity.name.type.deft' },
          },
        },
        {
          match: String.raw`\b(?:(pub)[ \t]+)?(const)[ \t]+(${IDENT})`,
          captures: {
            1: { name: 'storage.modifier.deft' },
            2: { name: 'keyword.declaration.const.deft' },
            3: { name: 'variable.other.constant.deft' },
          },
        },
        {
          match: String.raw`\b(let|var)[ \t]+(${IDENT})`,
          captures: { 1: { name: 'keyword.declaration.variable.deft' }, 2: { name: 'variable.other.declaration.deft' } },
        },
      ],
    },
    expression: {
      patterns: [
        { include: '#comments' },
        { include: '#unit-types' },
        { include: '#quantities' },
        { include: '#numbers' },
        { include: '#member' },
        { include: '#keywords' },
        { include: '#calls' },
        { include: '#constants' },
        { include: '#types' },
        { include: '#operators' },
        { include: '#punctuation' },
        { name: 'variable.other.deft', match: String.raw`\b${IDENT}\b` },
      ],
    },
    'unit-types': {
      // `[N/mm]` in a type: a unit when the brackets hold `*`, `/`, `^` or `%`, or start lower case
      // (the parser's rule); `[N]` and `[Length]` are list types.
      match: String.raw`(:|->)([ \t]*)(\[)[ \t]*((?:(?=[a-z%])|(?=[^\]\n]*[*/^%]))${UNIT})[ \t]*(\])`,
      captures: {
        1: { patterns: [{ include: '#operators' }, { include: '#punctuation' }] },
        3: { name: 'punctuation.section.brackets.begin.deft' },
        4: { name: 'keyword.other.unit.deft' },
        5: { name: 'punctuation.section.brackets.end.deft' },
      },
    },
    quantities: {
      // A number and a unit on the same line: `50 mm`, `250 mm/s`, `9.81 m/s^2`, `12 %`, `2 N*m`.
      match: String.raw`\b(${NUM})[ \t]*(${FIRST})`,
      captures: { 1: { name: 'constant.numeric.quantity.deft' }, 2: { name: 'keyword.other.unit.deft' } },
    },
    numbers: {
      patterns: [
        { name: 'constant.numeric.float.deft', match: String.raw`\b[0-9][0-9_]*(?:\.[0-9][0-9_]*(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)` },
        { name: 'constant.numeric.integer.deft', match: String.raw`\b[0-9][0-9_]*` },
      ],
    },
    member: {
      // After `.` any name is a field or method, keywords included.
      patterns: [
        { name: 'keyword.operator.range.deft', match: String.raw`\.\.` },
        {
          match: String.raw`(\.)[ \t]*(${IDENT})(?=[ \t]*\()`,
          captures: { 1: { name: 'punctuation.accessor.deft' }, 2: { name: 'entity.name.function.method.deft' } },
        },
        {
          match: String.raw`(\.)[ \t]*(${IDENT})`,
          captures: { 1: { name: 'punctuation.accessor.deft' }, 2: { name: 'variable.other.member.deft' } },
        },
      ],
    },
    keywords: {
      patterns: [
        { name: 'keyword.declaration.deft', match: String.raw`\b(skill|fn|cell|const|struct|enum|use|test|let|var)\b` },
        { name: 'storage.modifier.deft', match: String.raw`\b(pub|extern)\b` },
        { name: 'keyword.control.deft', match: String.raw`\b(if|else|for|in|while|return|fail|match|retry|try|recover|within|parallel)\b` },
        { name: 'keyword.other.contract.deft', match: String.raw`\b(requires|ensures|limits|ensure)\b` },
        { name: 'keyword.other.test.deft', match: String.raw`\b(runs|expect|success)\b` },
        { name: 'keyword.operator.logical.deft', match: String.raw`\b(and|or|not)\b` },
        { name: 'constant.language.boolean.deft', match: String.raw`\b(true|false)\b` },
        { name: 'constant.language.none.deft', match: String.raw`\bnone\b` },
      ],
    },
    calls: {
      match: String.raw`\b([a-z_][A-Za-z0-9_]*)(?=[ \t]*\()`,
      captures: { 1: { name: 'entity.name.function.call.deft' } },
    },
    constants: {
      // `CLEARANCE`, `MAX_FORCE`: constants are written in capitals (a lone capital is a type).
      name: 'variable.other.constant.deft',
      match: String.raw`\b[A-Z][A-Z0-9_]+\b`,
    },
    types: {
      // Types, structs, enums and variants start upper case (`Length`, `Grip`, `FaultKind::Timeout`).
      name: 'entity.name.type.deft',
      match: String.raw`\b[A-Z][A-Za-z0-9_]*\b`,
    },
    operators: {
      patterns: [
        { name: 'keyword.operator.arrow.deft', match: '->|=>' },
        { name: 'punctuation.separator.path.deft', match: '::' },
        { name: 'keyword.operator.range.deft', match: String.raw`\.\.` },
        { name: 'keyword.operator.comparison.deft', match: '==|!=|<=|>=|<|>' },
        // Spellings from other languages: Deft writes `and`, `or`, `not`.
        { name: 'invalid.illegal.operator.deft', match: String.raw`&&|\|\||!` },
        { name: 'keyword.operator.assignment.deft', match: '=' },
        { name: 'keyword.operator.arithmetic.deft', match: String.raw`[-+*/%^]` },
        { name: 'keyword.operator.optional.deft', match: String.raw`\?` },
      ],
    },
    punctuation: {
      patterns: [
        { name: 'punctuation.separator.comma.deft', match: ',' },
        { name: 'punctuation.terminator.statement.deft', match: ';' },
        { name: 'punctuation.separator.colon.deft', match: ':' },
        { name: 'punctuation.accessor.deft', match: String.raw`\.` },
        { name: 'punctuation.section.braces.begin.deft', match: String.raw`\{` },
        { name: 'punctuation.section.braces.end.deft', match: String.raw`\}` },
        { name: 'punctuation.section.parens.begin.deft', match: String.raw`\(` },
        { name: 'punctuation.section.parens.end.deft', match: String.raw`\)` },
        { name: 'punctuation.section.brackets.begin.deft', match: String.raw`\[` },
        { name: 'punctuation.section.brackets.end.deft', match: String.raw`\]` },
      ],
    },
  },
};
require('fs').writeFileSync(process.argv[2], JSON.stringify(g, null, 2) + '\n');

/* Table of validation cases: rule, document, expected errors (message (line:column, ...)). */
static const ValidateCase validate_cases[] = {
    {"valid dashboard",
     "query Dash($mid: BigInt!) { creator(mid: $mid) { name summary { views30d follower } "
     "daily(first: 30, orderBy: [{day: DESC}]) { nodes { day views fansDelta } } videos(first: 10, "
     "orderBy: [{pubdate: DESC}]) { nodes { bvid title } } } }",
     ""},
    {"valid mutation",
     "mutation M($objs: [CreatorInsertInput!]!) { insertIntoCreators(objects: $objs) { "
     "affectedCount records { mid } } deleteFromCreators(filter: {mid: {in: [1, \"2\"]}}) { "
     "affectedCount } }",
     ""},
    {"valid connection",
     "{ creators(filter: {and: [{mid: {gt: 1}}, {not: {name: {ilike: \"%a%\"}}}], partition: {tid: "
     "{eq: 1}}}, orderBy: [{mid: ASC}, {name: DESC_NULLS_LAST}], first: 10, after: \"abc\") { "
     "edges { cursor node { mid } } pageInfo { hasNextPage endCursor } totalCount aggregate { "
     "count sum { level } } groups(by: [MAIN_TID, JOINED_AT_WEEK]) { key count } } }",
     ""},
    {"UniqueOperationNames ok", "query A { me { principal } } query B { me { principal } }", ""},
    {"UniqueOperationNames", "query A { me { principal } } query A { me { principal } }",
     "There can be only one operation named \"A\". (1:7, 1:36)"},
    {"LoneAnonymousOperation", "{ me { principal } } query A { me { principal } }",
     "This anonymous operation must be the only defined operation. (1:1)"},
    {"LoneAnonymousOperation ok", "{ me { principal } }", ""},
    {"SingleFieldSubscriptions ok", "subscription S { videoPublished { bvid } }", ""},
    {"SingleFieldSubscriptions",
     "subscription S { videoPublished { bvid } creatorUpdated(mid: 1) { name } ...F } fragment F "
     "on Subscription { videoPublished { title } x: videoPublished { aid } }",
     "Subscription \"S\" must select only one top level field. (1:42, 1:135)"},
    {"SingleFieldSubscriptions skip",
     "subscription S { videoPublished { bvid } creatorUpdated(mid: 1) @skip(if: true) { name } }",
     ""},
    {"SingleFieldSubscriptions introspection", "subscription { __typename }",
     "Anonymous Subscription must not select an introspection top level field. (1:16)"},
    {"KnownTypeNames ok",
     "query Q($a: String, $b: [OrderDirection!]) { echo(text: $a, directions: $b) }", ""},
    {"KnownTypeNames", "query Q($a: Strin) { echo(text: $a) }",
     "Unknown type \"Strin\". Did you mean \"String\"? (1:13)"},
    {"KnownTypeNames fragment", "{ ...F } fragment F on Creatr { name }",
     "Unknown type \"Creatr\". Did you mean \"Creator\"? (1:24)"},
    {"KnownTypeNames inline", "{ node(id: 1) { ... on Vidoe { bvid } } }",
     "Unknown type \"Vidoe\". Did you mean \"Video\", \"ID\", or \"Node\"? (1:24)"},
    {"FragmentsOnCompositeTypes", "{ ...F } fragment F on Int { name }",
     "Fragment \"F\" cannot condition on non composite type \"Int\". (1:24)"},
    {"FragmentsOnCompositeTypes inline", "{ creator(mid: 1) { ... on String { name } } }",
     "Fragment cannot condition on non composite type \"String\". (1:28)"},
    {"FragmentsOnCompositeTypes ok",
     "{ node(id: 1) { ... on Node { id } ... on Creator { name } } }", ""},
    {"VariablesAreInputTypes",
     "query Q($a: Creator, $b: [SearchResult!]) { creator(mid: 1) { name } }",
     "Variable \"$a\" cannot be non-input type \"Creator\". (1:13)\nVariable \"$b\" cannot be "
     "non-input type \"[SearchResult!]\". (1:26)\nVariable \"$a\" is never used in operation "
     "\"Q\". (1:9)\nVariable \"$b\" is never used in operation \"Q\". (1:22)"},
    {"ScalarLeafs selection on leaf", "{ creator(mid: 1) { name { x } } }",
     "Field \"name\" must not have a selection since type \"String!\" has no subfields. (1:26)"},
    {"ScalarLeafs missing selection", "{ creator(mid: 1) }",
     "Field \"creator\" of type \"Creator\" must have a selection of subfields. Did you mean "
     "\"creator { ... }\"? (1:3)"},
    {"ScalarLeafs ok", "{ creators { groups(by: [MID]) { key } } }", ""},
    {"FieldsOnCorrectType", "{ foo }", "Cannot query field \"foo\" on type \"Query\". (1:3)"},
    {"FieldsOnCorrectType suggestion", "{ creatr(mid: 1) { name } }",
     "Cannot query field \"creatr\" on type \"Query\". Did you mean \"creator\" or \"creators\"? "
     "(1:3)"},
    {"FieldsOnCorrectType union", "{ search(text: \"x\") { name } }",
     "Cannot query field \"name\" on type \"SearchResult\". Did you mean to use an inline fragment "
     "on \"Creator\"? (1:23)"},
    {"FieldsOnCorrectType interface", "{ node(id: 1) { name } }",
     "Cannot query field \"name\" on type \"Node\". Did you mean to use an inline fragment on "
     "\"Creator\" or \"Partition\"? (1:17)"},
    {"FieldsOnCorrectType meta ok",
     "{ __typename search(text: \"x\") { __typename ... on Video { bvid } } __type(name: "
     "\"Creator\") { name kind fields(includeDeprecated: true) { name } } __schema { queryType { "
     "name } } }",
     ""},
    {"FieldsOnCorrectType __schema off root", "{ me { __schema { description } } }",
     "Cannot query field \"__schema\" on type \"Me\". (1:8)"},
    {"UniqueFragmentNames",
     "{ ...F } fragment F on Query { me { principal } } fragment F on Query { me { principal } }",
     "There can be only one fragment named \"F\". (1:19, 1:60)"},
    {"KnownFragmentNames", "{ ...Missing }", "Unknown fragment \"Missing\". (1:6)"},
    {"NoUnusedFragments",
     "{ me { principal } } fragment F on Query { me { principal } } fragment G on Me { principal }",
     "Fragment \"F\" is never used. (1:22)\nFragment \"G\" is never used. (1:63)"},
    {"NoUnusedFragments ok nested",
     "{ ...A } fragment A on Query { me { ...B } } fragment B on Me { principal }", ""},
    {"PossibleFragmentSpreads inline", "{ creator(mid: 1) { ... on Video { bvid } } }",
     "Fragment cannot be spread here as objects of type \"Creator\" can never be of type "
     "\"Video\". (1:21)"},
    {"PossibleFragmentSpreads named", "{ creator(mid: 1) { ...V } } fragment V on Video { bvid }",
     "Fragment \"V\" cannot be spread here as objects of type \"Creator\" can never be of type "
     "\"Video\". (1:21)"},
    {"PossibleFragmentSpreads abstract ok",
     "{ node(id: 1) { ... on Creator { name } ... on SearchResult { __typename } } search(text: "
     "\"a\") { ... on Node { id } } }",
     ""},
    {"PossibleFragmentSpreads abstract", "{ search(text: \"a\") { ... on Partition { tid } } }",
     "Fragment cannot be spread here as objects of type \"SearchResult\" can never be of type "
     "\"Partition\". (1:23)"},
    {"NoFragmentCycles",
     "{ creator(mid: 1) { ...A } } fragment A on Creator { name ...B } fragment B on Creator { "
     "...C } fragment C on Creator { ...A }",
     "Cannot spread fragment \"A\" within itself via \"B\", \"C\". (1:59, 1:90, 1:121)"},
    {"NoFragmentCycles self", "{ creator(mid: 1) { ...A } } fragment A on Creator { name ...A }",
     "Cannot spread fragment \"A\" within itself. (1:59)"},
    {"UniqueVariableNames",
     "query Q($a: Int, $a: Int, $b: Float, $a: Int) { echo(limit: $a, ratio: $b) }",
     "There can be only one variable named \"$a\". (1:10, 1:19, 1:39)"},
    {"NoUndefinedVariables", "query Q { creator(mid: $mid) { name } }",
     "Variable \"$mid\" is not defined by operation \"Q\". (1:24, 1:1)"},
    {"NoUndefinedVariables anonymous", "{ creator(mid: $mid) { name } }",
     "Variable \"$mid\" is not defined. (1:16, 1:1)"},
    {"NoUndefinedVariables fragment",
     "query Q { ...F } query R($mid: BigInt!) { ...F } fragment F on Query { creator(mid: $mid) { "
     "name } }",
     "Variable \"$mid\" is not defined by operation \"Q\". (1:85, 1:1)"},
    {"NoUnusedVariables", "query Q($x: Int, $y: Int) { echo(limit: $y) }",
     "Variable \"$x\" is never used in operation \"Q\". (1:9)"},
    {"NoUnusedVariables anonymous", "query ($x: Int) { me { principal } }",
     "Variable \"$x\" is never used. (1:8)"},
    {"NoUnusedVariables via fragment ok",
     "query Q($m: BigInt!) { ...F } fragment F on Query { creator(mid: $m) { name } }", ""},
    {"KnownDirectives", "{ me @unknown { principal } }", "Unknown directive \"@unknown\". (1:6)"},
    {"KnownDirectives location", "query Q @skip(if: true) { me { principal } }",
     "Directive \"@skip\" may not be used on QUERY. (1:9)"},
    {"KnownDirectives variable definition", "query Q($a: Int @skip(if: true)) { echo(limit: $a) }",
     "Directive \"@skip\" may not be used on VARIABLE_DEFINITION. (1:17)"},
    {"KnownDirectives ok",
     "query Q @cached(ttl: 5) { me @include(if: true) { principal @tag(name: \"a\") @tag(name: "
     "\"b\") } ... @skip(if: false) { me { principal } } }",
     ""},
    {"UniqueDirectivesPerLocation", "{ me @skip(if: false) @skip(if: false) { principal } }",
     "The directive \"@skip\" can only be used once at this location. (1:6, 1:23)"},
    {"KnownArgumentNames", "{ creator(mid: 1, x: 2) { name } }",
     "Unknown argument \"x\" on field \"Query.creator\". (1:19)"},
    {"KnownArgumentNames suggestion", "{ creator(mdi: 1) { name } }",
     "Unknown argument \"mdi\" on field \"Query.creator\". Did you mean \"mid\"? (1:11)\nField "
     "\"creator\" argument \"mid\" of type \"BigInt!\" is required, but it was not provided. "
     "(1:3)"},
    {"KnownArgumentNames directive", "{ me @skip(iff: true) { principal } }",
     "Unknown argument \"iff\" on directive \"@skip\". Did you mean \"if\"? (1:12)\nDirective "
     "\"@skip\" argument \"if\" of type \"Boolean!\" is required, but it was not provided. (1:6)"},
    {"UniqueArgumentNames", "{ creator(mid: 1, mid: 2) { name } }",
     "There can be only one argument named \"mid\". (1:11, 1:19)"},
    {"ProvidedRequiredArguments", "{ creator { name } }",
     "Field \"creator\" argument \"mid\" of type \"BigInt!\" is required, but it was not provided. "
     "(1:3)"},
    {"ProvidedRequiredArguments default ok", "{ echo }", ""},
    {"ProvidedRequiredArguments directive", "{ me @include { principal } }",
     "Directive \"@include\" argument \"if\" of type \"Boolean!\" is required, but it was not "
     "provided. (1:6)"},
    {"ProvidedRequiredArguments __type", "{ __type { name } }",
     "Field \"__type\" argument \"name\" of type \"String!\" is required, but it was not provided. "
     "(1:3)"},
    {"ValuesOfCorrectType Int", "{ echo(limit: 1.5) }",
     "Int cannot represent non-integer value: 1.5 (1:15)"},
    {"ValuesOfCorrectType Int range", "{ echo(limit: 2147483648) }",
     "Int cannot represent non 32-bit signed integer value: 2147483648 (1:15)"},
    {"ValuesOfCorrectType Int bounds ok",
     "{ a: echo(limit: 2147483647) b: echo(limit: -2147483648) }", ""},
    {"ValuesOfCorrectType Int negative range", "{ echo(limit: -2147483649) }",
     "Int cannot represent non 32-bit signed integer value: -2147483649 (1:15)"},
    {"ValuesOfCorrectType Float", "{ echo(ratio: \"1.5\") }",
     "Float cannot represent non numeric value: \"1.5\" (1:15)"},
    {"ValuesOfCorrectType Float from Int ok", "{ echo(ratio: 1) }", ""},
    {"ValuesOfCorrectType String", "{ echo(text: 1) }",
     "String cannot represent a non string value: 1 (1:14)"},
    {"ValuesOfCorrectType String enum", "{ echo(text: ASC) }",
     "String cannot represent a non string value: ASC (1:14)"},
    {"ValuesOfCorrectType Boolean", "{ echo(flag: \"true\") }",
     "Boolean cannot represent a non boolean value: \"true\" (1:14)"},
    {"ValuesOfCorrectType ID", "{ echo(id: 1.5) }",
     "ID cannot represent a non-string and non-integer value: 1.5 (1:12)"},
    {"ValuesOfCorrectType ID ok", "{ a: echo(id: 1) b: echo(id: \"x\") }", ""},
    {"ValuesOfCorrectType enum string", "{ echo(direction: \"ASC\") }",
     "Enum \"OrderDirection\" cannot represent non-enum value: \"ASC\". Did you mean the enum "
     "value \"ASC\" or \"DESC\"? (1:19)"},
    {"ValuesOfCorrectType enum unknown", "{ echo(direction: ASCENDING) }",
     "Value \"ASCENDING\" does not exist in \"OrderDirection\" enum. (1:19)"},
    {"ValuesOfCorrectType enum typo", "{ echo(direction: DSC) }",
     "Value \"DSC\" does not exist in \"OrderDirection\" enum. Did you mean the enum value \"ASC\" "
     "or \"DESC\"? (1:19)"},
    {"ValuesOfCorrectType null", "{ echo(limit: null) }",
     "Expected value of type \"Int!\", found null. (1:15)"},
    {"ValuesOfCorrectType list coercion ok",
     "{ a: echo(directions: ASC) b: echo(directions: [ASC, DESC]) c: echo(matrix: [[1, 2], [3]]) "
     "d: echo(matrix: [1, 2]) e: echo(matrix: 1) }",
     ""},
    {"ValuesOfCorrectType null in list", "{ echo(directions: [ASC, null]) }",
     "Expected value of type \"OrderDirection!\", found null. (1:26)"},
    {"ValuesOfCorrectType list for scalar", "{ echo(limit: [1]) }",
     "Int cannot represent non-integer value: [1] (1:15)"},
    {"ValuesOfCorrectType nested list", "{ echo(matrix: [[\"a\"]]) }",
     "Int cannot represent non-integer value: \"a\" (1:18)"},
    {"ValuesOfCorrectType unknown input field",
     "{ creators(filter: {mdi: {eq: 1}}) { totalCount } }",
     "Field \"mdi\" is not defined by type \"CreatorFilter\". Did you mean \"mid\"? (1:21)"},
    {"ValuesOfCorrectType required input field", "{ echo(input: {mid: 1}) }",
     "Field \"CreatorInsertInput.name\" of required type \"String!\" was not provided. (1:15)"},
    {"ValuesOfCorrectType object for scalar", "{ echo(limit: {a: 1}) }",
     "Int cannot represent non-integer value: {a: 1} (1:15)"},
    {"ValuesOfCorrectType scalar for input object", "{ creators(filter: 1) { totalCount } }",
     "Expected value of type \"CreatorFilter\", found 1. (1:20)"},
    {"ValuesOfCorrectType list for input object", "{ creators(filter: [1]) { totalCount } }",
     "Expected value of type \"CreatorFilter\", found [1]. (1:20)"},
    {"ValuesOfCorrectType custom scalar", "{ creator(mid: 1.5) { name } }",
     "Expected value of type \"BigInt!\", found 1.5. (1:16)"},
    {"ValuesOfCorrectType custom scalar ok",
     "{ a: creator(mid: \"123\") { name } b: echo(value: {a: [1, {b: null}], c: ENUM}) }", ""},
    {"ValuesOfCorrectType variable default", "query Q($a: Int = \"x\") { echo(limit: $a) }",
     "Int cannot represent non-integer value: \"x\" (1:19)"},
    {"ValuesOfCorrectType nested enum",
     "{ creators(orderBy: [{mid: ASC}, {name: UP}]) { totalCount } }",
     "Value \"UP\" does not exist in \"OrderDirection\" enum. (1:41)"},
    {"ValuesOfCorrectType block string", "{ echo(limit: \"\"\"12\"\"\") }",
     "Int cannot represent non-integer value: \"\"\"12\"\"\" (1:15)"},
    {"UniqueInputFieldNames", "{ creators(filter: {mid: {eq: 1, eq: 2}}) { totalCount } }",
     "There can be only one input field named \"eq\". (1:27, 1:34)"},
    {"VariablesInAllowedPosition", "query Q($mid: BigInt) { creator(mid: $mid) { name } }",
     "Variable \"$mid\" of type \"BigInt\" used in position expecting type \"BigInt!\". (1:9, "
     "1:38)"},
    {"VariablesInAllowedPosition default ok",
     "query Q($mid: BigInt = 1, $l: Int) { creator(mid: $mid) { name } echo(limit: $l) }", ""},
    {"VariablesInAllowedPosition null default",
     "query Q($mid: BigInt = null) { creator(mid: $mid) { name } }",
     "Variable \"$mid\" of type \"BigInt\" used in position expecting type \"BigInt!\". (1:9, "
     "1:45)"},
    {"VariablesInAllowedPosition list item",
     "query Q($d: OrderDirection) { echo(directions: [$d]) }",
     "Variable \"$d\" of type \"OrderDirection\" used in position expecting type "
     "\"OrderDirection!\". (1:9, 1:49)"},
    {"VariablesInAllowedPosition wrong type", "query Q($t: String!) { echo(limit: $t) }",
     "Variable \"$t\" of type \"String!\" used in position expecting type \"Int!\". (1:9, 1:36)"},
    {"VariablesInAllowedPosition list", "query Q($l: [OrderDirection]) { echo(directions: $l) }",
     "Variable \"$l\" of type \"[OrderDirection]\" used in position expecting type "
     "\"[OrderDirection!]\". (1:9, 1:50)"},
    {"VariablesInAllowedPosition fragment",
     "query Q($m: String!) { ...F } fragment F on Query { creator(mid: $m) { name } }",
     "Variable \"$m\" of type \"String!\" used in position expecting type \"BigInt!\". (1:9, "
     "1:66)"},
    {"VariablesInAllowedPosition input field",
     "query Q($n: String) { echo(input: {mid: 1, name: $n}) }",
     "Variable \"$n\" of type \"String\" used in position expecting type \"String!\". (1:9, 1:50)"},
    {"VariablesInAllowedPosition directive",
     "query Q($b: Boolean) { me @skip(if: $b) { principal } }",
     "Variable \"$b\" of type \"Boolean\" used in position expecting type \"Boolean!\". (1:9, "
     "1:37)"},
    {"OverlappingFieldsCanBeMerged identical ok",
     "{ me { principal principal } creator(mid: 1) { name } creator(mid: 1) { name sign } }", ""},
    {"OverlappingFieldsCanBeMerged different fields", "{ me { x: principal x: activeRoles } }",
     "Fields \"x\" conflict because \"principal\" and \"activeRoles\" are different fields. Use "
     "different aliases on the fields to fetch both if this was intentional. (1:8, 1:21)"},
    {"OverlappingFieldsCanBeMerged arguments",
     "{ a: creator(mid: 1) { name } a: creator(mid: 2) { name } }",
     "Fields \"a\" conflict because they have differing arguments. Use different aliases on the "
     "fields to fetch both if this was intentional. (1:3, 1:31)"},
    {"OverlappingFieldsCanBeMerged argument order ok",
     "{ echo(limit: 1, flag: true, filter: {mid: {eq: 1}, name: {eq: \"a\"}}) echo(flag: true, "
     "limit: 1, filter: {name: {eq: \"a\"}, mid: {eq: 1}}) }",
     ""},
    {"OverlappingFieldsCanBeMerged missing argument", "{ echo echo(limit: 10) }",
     "Fields \"echo\" conflict because they have differing arguments. Use different aliases on the "
     "fields to fetch both if this was intentional. (1:3, 1:8)"},
    {"OverlappingFieldsCanBeMerged return types",
     "{ search(text: \"x\") { ... on Creator { id: mid } ... on Video { id: title } } }",
     "Fields \"id\" conflict because they return conflicting types \"BigInt!\" and \"String!\". "
     "Use different aliases on the fields to fetch both if this was intentional. (1:40, 1:65)"},
    {"OverlappingFieldsCanBeMerged exclusive parents ok",
     "{ search(text: \"x\") { ... on Creator { n: name } ... on Video { n: title } } }", ""},
    {"OverlappingFieldsCanBeMerged nullability",
     "{ node(id: 1) { ... on Creator { x: level } ... on Partition { x: tid } } }",
     "Fields \"x\" conflict because they return conflicting types \"Int\" and \"Int!\". Use "
     "different aliases on the fields to fetch both if this was intentional. (1:34, 1:64)"},
    {"OverlappingFieldsCanBeMerged list shape",
     "{ search(text: \"x\") { ... on Video { t: tags } ... on Creator { t: name } } }",
     "Fields \"t\" conflict because they return conflicting types \"[String!]!\" and \"String!\". "
     "Use different aliases on the fields to fetch both if this was intentional. (1:38, 1:65)"},
    {"OverlappingFieldsCanBeMerged subfields",
     "{ creator(mid: 1) { x: name } creator(mid: 1) { x: sign } }",
     "Fields \"creator\" conflict because subfields \"x\" conflict because \"name\" and \"sign\" "
     "are different fields. Use different aliases on the fields to fetch both if this was "
     "intentional. (1:3, 1:21, 1:31, 1:49)"},
    {"OverlappingFieldsCanBeMerged deep subfields",
     "{ creator(mid: 1) { summary { f: follower v: views7d } } creator(mid: 1) { summary { f: "
     "views7d v: follower } } }",
     "Fields \"creator\" conflict because subfields \"summary\" conflict because subfields \"f\" "
     "conflict because \"follower\" and \"views7d\" are different fields and subfields \"v\" "
     "conflict because \"views7d\" and \"follower\" are different fields. Use different aliases on "
     "the fields to fetch both if this was intentional. (1:3, 1:21, 1:31, 1:43, 1:58, 1:76, 1:86, "
     "1:97)"},
    {"OverlappingFieldsCanBeMerged fragments",
     "{ me { ...A ...B } } fragment A on Me { x: principal } fragment B on Me { x: activeRoles }",
     "Fields \"x\" conflict because \"principal\" and \"activeRoles\" are different fields. Use "
     "different aliases on the fields to fetch both if this was intentional. (1:41, 1:75)"},
    {"OverlappingFieldsCanBeMerged field and fragment",
     "{ me { x: principal ...B } } fragment B on Me { x: activeRoles }",
     "Fields \"x\" conflict because \"principal\" and \"activeRoles\" are different fields. Use "
     "different aliases on the fields to fetch both if this was intentional. (1:8, 1:49)"},
    {"OverlappingFieldsCanBeMerged nested fragments",
     "{ me { ...A } me { ...B } } fragment A on Me { x: principal } fragment B on Me { x: "
     "activeRoles }",
     "Fields \"me\" conflict because subfields \"x\" conflict because \"principal\" and "
     "\"activeRoles\" are different fields. Use different aliases on the fields to fetch both if "
     "this was intentional. (1:3, 1:48, 1:15, 1:82)"},
    {"multi-line locations", "query Q(\n  $a: Int\n) {\n  creator(mid: 1) {\n    nme\n  }\n}",
     "Cannot query field \"nme\" on type \"Creator\". Did you mean \"name\"? (5:5)\nVariable "
     "\"$a\" is never used in operation \"Q\". (2:3)"},
};

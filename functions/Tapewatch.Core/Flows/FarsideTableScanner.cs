namespace Tapewatch.Core.Flows;

/// <summary>
/// Reads the tables of a page in one pass over the string, without building a DOM, for the markup Farside serves, and
/// declines (returns null) on anything whose reading it cannot vouch for, so that <see cref="FarsideHtmlParser"/> reads
/// that page with AngleSharp instead. The figures are the same as AngleSharp's by construction: it follows the HTML
/// tokenizer (tags, attributes in any order and quoting, the first of a repeated attribute, comments, doctype, bogus
/// comments, raw text of script/style/title/textarea/iframe) and the tree-construction rules of tables for the subset
/// it accepts — thead/tbody/tfoot/tr/td/th with their implied start and end tags (a missing tbody, td or tr closed by
/// the next one), cell text content through nested inline elements (span, div, a, b, …, img, br) that close in order,
/// character references nbsp/amp/lt/gt/quot/apos and numeric ones.
/// <para>
/// It declines: NUL characters; a table inside a table; text (other than whitespace), caption, col, colgroup, script,
/// style, form or any other element directly in a table, section or row (foster parenting); in a cell, any element
/// outside its list, an end tag that does not close the innermost open inline element, other named character
/// references, numeric ones to controls, surrogates or beyond the BMP, control characters and surrogates in cell
/// text; anywhere, select, template, frameset, frame, svg, math, plaintext, xmp, noembed, noframes, a script holding
/// "&lt;!--", raw text or a table left open at the end of the page, and elements nested deeper than 128 outside
/// the tables (AngleSharp flattens trees past 512 levels).
/// </para>
/// </summary>
internal static partial class FarsideTableScanner
{
    public static FarsideTables? TryRead(string html)
    {
        if (html.Contains('\0')) return null;
        var tables = new FarsideTables(html.Length);
        if (new Scanner(html, tables).Run()) return tables;
        tables.Dispose();
        return null;
    }

    private enum Mode
    {
        Outside,
        InTable,
        InSection,
        InRow,
        InCell,
    }

    private enum Tag
    {
        Other,
        Table,
        Thead,
        Tbody,
        Tfoot,
        Tr,
        Td,
        Th,
        TablePart, // caption, col, colgroup
        Html,
        Head,
        Body,
        Script,
        RawText, // style, iframe
        RcData, // title, textarea
        Declined, // select, template, frameset, frame, svg, math, plaintext, xmp, noembed, noframes
        Void, // elements without content (area, base, br, img, input, link, meta, …)
        Inline, // span, div, a, b, … (allowed inside a cell)
        InlineVoid, // img, br, wbr (allowed inside a cell)
        Anchor, // a
    }

    /// <summary>One tag as the tokenizer emits it; of its attributes only the first class and colspan are kept.</summary>
    private struct TagToken
    {
        public bool IsEnd;
        public int NameStart;
        public int NameLength;
        public int ClassStart;
        public int ClassLength;
        public int ColspanStart;
        public int ColspanLength;
    }

    /// <summary>The named character references read in cell text (with their semicolon); any other declines.</summary>
    private static readonly (string Name, char Value)[] NamedReferences = [("nbsp;", '\u00A0'), ("amp;", '&'), ("lt;", '<'), ("gt;", '>'), ("quot;", '"'), ("apos;", '\'')];

    private sealed partial class Scanner(string s, FarsideTables tables)
    {
        private const int MaxOutsideDepth = 128;
        private const int MaxInlineDepth = 32;

        private readonly (int Start, int Length)[] _outside = new (int, int)[MaxOutsideDepth];
        private readonly (int Start, int Length)[] _inline = new (int, int)[MaxInlineDepth];
        private int _outsideDepth;
        private int _inlineDepth;
        private int _pos;
        private Mode _mode;
        private int _section;
        private bool _cellIsTh;
        private int _cellSpan;

        public bool Run()
        {
            while (true)
            {
                var lt = s.IndexOf('<', _pos);
                if (!Text(_pos, lt < 0 ? s.Length : lt)) return false;
                if (lt < 0) break;
                _pos = lt;
                if (!Markup()) return false;
            }

            return _mode == Mode.Outside;
        }

        // ---- Text ------------------------------------------------------------------------------------------------

        private bool Text(int from, int to)
        {
            switch (_mode)
            {
                case Mode.Outside:
                    return true;
                case Mode.InCell:
                    return CellText(from, to);
                default:
                    for (var i = from; i < to; i++)
                    {
                        if (!IsHtmlWhitespace(s[i])) return false; // foster-parented text
                    }

                    return true;
            }
        }

        private bool CellText(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                var c = s[i];
                if (c == '&')
                {
                    if (!CharacterReference(ref i, to)) return false;
                    continue;
                }

                if (!CellChar(c)) return false;
            }

            return true;
        }

        private bool CellChar(char c)
        {
            if ((c < ' ' && !IsHtmlWhitespace(c)) || (c >= '\u007F' && c <= '\u009F') || char.IsSurrogate(c)) return false;
            tables.AppendChar(c);
            return true;
        }

        /// <summary>At '&amp;' (index i) in cell text ending at <paramref name="to"/>: appends what it stands for and leaves i on its last character.</summary>
        private bool CharacterReference(ref int i, int to)
        {
            var next = i + 1 < to ? s[i + 1] : '\0';
            if (next == '#')
            {
                var p = i + 2;
                var hex = p < to && (s[p] == 'x' || s[p] == 'X');
                if (hex) p++;
                var digits = p;
                var value = 0;
                while (p < to && (hex ? char.IsAsciiHexDigit(s[p]) : char.IsAsciiDigit(s[p])) && p - digits < 7)
                {
                    value = (value * (hex ? 16 : 10)) + (hex ? HexValue(s[p]) : s[p] - '0');
                    p++;
                }

                if (p == digits || p >= to || s[p] != ';') return false;
                var ok = value is 0x09 or 0x0A or (>= 0x20 and <= 0x7E) or (>= 0xA0 and <= 0xD7FF) or (>= 0xE000 and <= 0xFDCF) or (>= 0xFDF0 and <= 0xFFFD);
                if (!ok) return false;
                tables.AppendChar((char)value);
                i = p;
                return true;
            }

            if (!char.IsAsciiLetterOrDigit(next))
            {
                tables.AppendChar('&'); // not a character reference
                return true;
            }

            var rest = s.AsSpan(i + 1, to - i - 1);
            foreach (var (name, value) in NamedReferences)
            {
                if (rest.StartsWith(name, StringComparison.Ordinal))
                {
                    tables.AppendChar(value);
                    i += name.Length;
                    return true;
                }
            }

            return false;
        }

        private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

        // ---- Markup ----------------------------------------------------------------------------------------------

        /// <summary>At '&lt;': a tag, comment, doctype or bogus comment, or a literal '&lt;'.</summary>
        private bool Markup()
        {
            var p = _pos + 1;
            if (p >= s.Length) return LiteralText("<", s.Length);
            var c = s[p];
            if (char.IsAsciiLetter(c)) return ReadTag(out var tag) ? StartTag(tag) : AtEndInTag();
            if (c == '/')
            {
                if (p + 1 >= s.Length) return LiteralText("</", s.Length);
                if (char.IsAsciiLetter(s[p + 1])) return ReadTag(out var tag) ? EndTag(tag) : AtEndInTag();
                if (s[p + 1] == '>')
                {
                    _pos = p + 2;
                    return true;
                }

                return SkipTo('>', p); // bogus comment
            }

            if (c == '!')
            {
                return s.AsSpan(p).StartsWith("!--", StringComparison.Ordinal) ? Comment(p + 3) : SkipTo('>', p); // doctype or bogus comment
            }

            if (c == '?') return SkipTo('>', p); // bogus comment
            return LiteralText("<", p);
        }

        private bool LiteralText(string text, int resume)
        {
            _pos = resume;
            if (_mode == Mode.Outside) return true;
            if (_mode != Mode.InCell) return false;
            foreach (var c in text) tables.AppendChar(c);
            return true;
        }

        private bool SkipTo(char end, int from)
        {
            var at = s.IndexOf(end, from);
            _pos = at < 0 ? s.Length : at + 1;
            return true;
        }

        /// <summary>A comment from <paramref name="p"/> (after "&lt;!--"): "&lt;!--&gt;" and "&lt;!---&gt;" end at once, else the first "--&gt;" or "--!&gt;" ends it.</summary>
        private bool Comment(int p)
        {
            if (p < s.Length && s[p] == '>') return SkipTo('>', p);
            if (p + 1 < s.Length && s[p] == '-' && s[p + 1] == '>') return SkipTo('>', p + 1);
            for (var i = s.IndexOf("--", p, StringComparison.Ordinal); i >= 0; i = s.IndexOf("--", i + 1, StringComparison.Ordinal))
            {
                if (i + 2 < s.Length && s[i + 2] == '>') return SkipTo('>', i + 2);
                if (i + 3 < s.Length && s[i + 2] == '!' && s[i + 3] == '>') return SkipTo('>', i + 3);
            }

            _pos = s.Length;
            return true;
        }

        /// <summary>The page ends inside a tag: the tag is dropped; outside a table nothing else follows, inside one the scanner declines.</summary>
        private bool AtEndInTag()
        {
            _pos = s.Length;
            return _mode == Mode.Outside;
        }

        /// <summary>Reads a start or end tag at _pos (the HTML tokenizer's tag, attribute and self-closing states); false if the page ends inside it.</summary>
        private bool ReadTag(out TagToken tag)
        {
            tag = default;
            tag.ClassStart = tag.ColspanStart = -1;
            var p = _pos + 1;
            if (s[p] == '/')
            {
                tag.IsEnd = true;
                p++;
            }

            tag.NameStart = p;
            while (p < s.Length && !IsHtmlWhitespace(s[p]) && s[p] != '/' && s[p] != '>') p++;
            tag.NameLength = p - tag.NameStart;
            while (true)
            {
                // before attribute name
                while (p < s.Length && (IsHtmlWhitespace(s[p]) || s[p] == '/'))
                {
                    if (s[p] == '/' && p + 1 < s.Length && s[p + 1] == '>') break;
                    p++;
                }

                if (p >= s.Length) return false;
                if (s[p] == '/')
                {
                    _pos = p + 2; // "/>"
                    return true;
                }

                if (s[p] == '>')
                {
                    _pos = p + 1;
                    return true;
                }

                // attribute name (a leading '=' belongs to the name)
                var nameStart = p;
                p++;
                while (p < s.Length && !IsHtmlWhitespace(s[p]) && s[p] != '/' && s[p] != '>' && s[p] != '=') p++;
                var name = s.AsSpan(nameStart, p - nameStart);

                // after attribute name
                while (p < s.Length && IsHtmlWhitespace(s[p])) p++;
                if (p >= s.Length) return false;
                int valueStart = p, valueLength = 0;
                if (s[p] == '=')
                {
                    p++;
                    while (p < s.Length && IsHtmlWhitespace(s[p])) p++;
                    if (p >= s.Length) return false;
                    if (s[p] is '"' or '\'')
                    {
                        var quote = s[p];
                        var close = s.IndexOf(quote, p + 1);
                        if (close < 0) return false;
                        valueStart = p + 1;
                        valueLength = close - valueStart;
                        p = close + 1; // after attribute value (quoted): anything else starts the next attribute
                    }
                    else if (s[p] != '>')
                    {
                        valueStart = p;
                        while (p < s.Length && !IsHtmlWhitespace(s[p]) && s[p] != '>') p++;
                        if (p >= s.Length) return false;
                        valueLength = p - valueStart;
                    }
                }

                if (tag.ClassStart < 0 && AsciiEquals(name, "class"))
                {
                    (tag.ClassStart, tag.ClassLength) = (valueStart, valueLength);
                }
                else if (tag.ColspanStart < 0 && AsciiEquals(name, "colspan"))
                {
                    (tag.ColspanStart, tag.ColspanLength) = (valueStart, valueLength);
                }
            }
        }
    }

    private static bool IsHtmlWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    private static bool AsciiOnly(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c > '\u007F') return false;
        }

        return true;
    }

    /// <summary>Equal to a lower-case ASCII name once ASCII upper case is lowered (as the tokenizer lowers names).</summary>
    private static bool AsciiEquals(ReadOnlySpan<char> name, string lower)
    {
        if (name.Length != lower.Length) return false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is >= 'A' and <= 'Z') c = (char)(c | 0x20);
            if (c != lower[i]) return false;
        }

        return true;
    }

    private static Tag Classify(ReadOnlySpan<char> name)
    {
        var tag = ClassifyLower(name);
        if (tag != Tag.Other || name.Length > 12 || !name.ContainsAnyInRange('A', 'Z')) return tag;
        Span<char> lower = stackalloc char[12];
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            lower[i] = c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;
        }

        return ClassifyLower(lower[..name.Length]);
    }

    private static Tag ClassifyLower(ReadOnlySpan<char> name) =>
        name switch
        {
            "table" => Tag.Table,
            "thead" => Tag.Thead,
            "tbody" => Tag.Tbody,
            "tfoot" => Tag.Tfoot,
            "tr" => Tag.Tr,
            "td" => Tag.Td,
            "th" => Tag.Th,
            "caption" or "col" or "colgroup" => Tag.TablePart,
            "html" => Tag.Html,
            "head" => Tag.Head,
            "body" => Tag.Body,
            "script" => Tag.Script,
            "style" or "iframe" => Tag.RawText,
            "title" or "textarea" => Tag.RcData,
            "select" or "template" or "frameset" or "frame" or "svg" or "math" or "plaintext" or "xmp" or "noembed" or "noframes" => Tag.Declined,
            "img" or "br" or "wbr" => Tag.InlineVoid,
            "area" or "base" or "basefont" or "bgsound" or "embed" or "hr" or "image" or "input" or "keygen" or "link" or "meta" or "param" or "source" or "track" => Tag.Void,
            "a" => Tag.Anchor,
            "span" or "div" or "b" or "i" or "strong" or "em" or "font" or "small" or "sup" or "sub" or "u" => Tag.Inline,
            _ => Tag.Other,
        };
}

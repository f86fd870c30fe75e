using System.Globalization;

namespace Tapewatch.Core.Flows;

internal static partial class FarsideTableScanner
{
    /// <summary>Tree construction for the table subset: sections, rows and cells with their implied start and end tags.</summary>
    private sealed partial class Scanner
    {
        private bool StartTag(in TagToken token)
        {
            var tag = Classify(s.AsSpan(token.NameStart, token.NameLength));
            switch (_mode)
            {
                case Mode.Outside:
                    switch (tag)
                    {
                        case Tag.Declined:
                            return false;
                        case Tag.Table:
                            if (!ClassHasEtf(token, out var isEtf)) return false;
                            tables.BeginTable(isEtf);
                            _mode = Mode.InTable;
                            return true;
                        case Tag.Script:
                        case Tag.RawText:
                        case Tag.RcData:
                            return SkipRawText(token, tag == Tag.Script);
                        case Tag.Thead or Tag.Tbody or Tag.Tfoot or Tag.Tr or Tag.Td or Tag.Th or Tag.TablePart:
                        case Tag.Html or Tag.Head or Tag.Body:
                        case Tag.Void or Tag.InlineVoid:
                            return true; // ignored, or no content
                        default:
                            if (_outsideDepth == MaxOutsideDepth) return false;
                            _outside[_outsideDepth++] = (token.NameStart, token.NameLength);
                            return true;
                    }

                case Mode.InTable:
                    switch (tag)
                    {
                        case Tag.Thead or Tag.Tbody or Tag.Tfoot:
                            _section = SectionOf(tag);
                            _mode = Mode.InSection;
                            return true;
                        case Tag.Tr:
                            _section = FarsideTables.Tbody;
                            return Row();
                        case Tag.Td or Tag.Th:
                            _section = FarsideTables.Tbody;
                            return Row() && Cell(token, tag);
                        default:
                            return false;
                    }

                case Mode.InSection:
                    switch (tag)
                    {
                        case Tag.Tr:
                            return Row();
                        case Tag.Td or Tag.Th:
                            return Row() && Cell(token, tag);
                        case Tag.Thead or Tag.Tbody or Tag.Tfoot:
                            _section = SectionOf(tag);
                            return true;
                        default:
                            return false;
                    }

                case Mode.InRow:
                    switch (tag)
                    {
                        case Tag.Td or Tag.Th:
                            return Cell(token, tag);
                        case Tag.Tr:
                            return Row();
                        case Tag.Thead or Tag.Tbody or Tag.Tfoot:
                            _section = SectionOf(tag);
                            _mode = Mode.InSection;
                            return true;
                        default:
                            return false;
                    }

                default: // in a cell
                    switch (tag)
                    {
                        case Tag.Td or Tag.Th:
                            EndCell();
                            return Cell(token, tag);
                        case Tag.Tr:
                            EndCell();
                            return Row();
                        case Tag.Thead or Tag.Tbody or Tag.Tfoot:
                            EndCell();
                            _section = SectionOf(tag);
                            _mode = Mode.InSection;
                            return true;
                        case Tag.InlineVoid:
                            return true;
                        case Tag.Inline or Tag.Anchor:
                            if (_inlineDepth == MaxInlineDepth) return false;
                            if (tag == Tag.Anchor)
                            {
                                for (var k = 0; k < _inlineDepth; k++)
                                {
                                    if (AsciiEquals(s.AsSpan(_inline[k].Start, _inline[k].Length), "a")) return false; // an open <a>: the adoption agency
                                }
                            }

                            _inline[_inlineDepth++] = (token.NameStart, token.NameLength);
                            return true;
                        default:
                            return false;
                    }
            }
        }

        private bool EndTag(in TagToken token)
        {
            var name = s.AsSpan(token.NameStart, token.NameLength);
            var tag = Classify(name);
            switch (_mode)
            {
                case Mode.Outside:
                    for (var k = _outsideDepth - 1; k >= 0; k--)
                    {
                        if (name.Equals(s.AsSpan(_outside[k].Start, _outside[k].Length), StringComparison.OrdinalIgnoreCase) && AsciiOnly(name))
                        {
                            _outsideDepth = k;
                            break;
                        }
                    }

                    return true;

                case Mode.InTable:
                    if (tag != Tag.Table) return false;
                    _mode = Mode.Outside;
                    return true;

                case Mode.InSection:
                    if (tag == Tag.Table) _mode = Mode.Outside;
                    else if (IsSection(tag) && SectionOf(tag) == _section) _mode = Mode.InTable;
                    else return false;
                    return true;

                case Mode.InRow:
                    if (tag == Tag.Table) _mode = Mode.Outside;
                    else if (tag == Tag.Tr) _mode = Mode.InSection;
                    else if (IsSection(tag) && SectionOf(tag) == _section) _mode = Mode.InTable;
                    else return false;
                    return true;

                default: // in a cell
                    if (tag is Tag.Inline or Tag.Anchor)
                    {
                        if (_inlineDepth == 0 || !name.Equals(s.AsSpan(_inline[_inlineDepth - 1].Start, _inline[_inlineDepth - 1].Length), StringComparison.OrdinalIgnoreCase)) return false;
                        _inlineDepth--;
                        return true;
                    }

                    if ((tag == Tag.Td && !_cellIsTh) || (tag == Tag.Th && _cellIsTh))
                    {
                        EndCell();
                        _mode = Mode.InRow;
                        return true;
                    }

                    if (tag == Tag.Tr)
                    {
                        EndCell();
                        _mode = Mode.InSection;
                        return true;
                    }

                    if (tag == Tag.Table)
                    {
                        EndCell();
                        _mode = Mode.Outside;
                        return true;
                    }

                    if (IsSection(tag) && SectionOf(tag) == _section)
                    {
                        EndCell();
                        _mode = Mode.InTable;
                        return true;
                    }

                    return false;
            }
        }

        private bool Row()
        {
            tables.BeginRow(_section);
            _mode = Mode.InRow;
            return true;
        }

        private bool Cell(in TagToken token, Tag tag)
        {
            var span = 1;
            if (token.ColspanStart >= 0)
            {
                var value = s.AsSpan(token.ColspanStart, token.ColspanLength);
                if (value.Contains('&')) return false;

                // AngleSharp: ToInteger(1) (int.TryParse, NumberStyles.Any, invariant), then 1 outside 1–1000.
                if (value.Length > 0 && int.TryParse(value, NumberStyles.Any, CultureInfo.InvariantCulture, out var parsed)) span = parsed is < 1 or > 1000 ? 1 : parsed;
            }

            _cellIsTh = tag == Tag.Th;
            _cellSpan = span;
            _inlineDepth = 0;
            tables.BeginCell();
            _mode = Mode.InCell;
            return true;
        }

        private void EndCell()
        {
            tables.EndCell(_cellIsTh, _cellSpan);
            _inlineDepth = 0;
            _mode = Mode.InRow;
        }

        /// <summary>The content of script, style, iframe (raw text) or title, textarea (RCDATA) up to its end tag; false if it has none or a script holds "&lt;!--".</summary>
        private bool SkipRawText(in TagToken token, bool script)
        {
            var name = s.AsSpan(token.NameStart, token.NameLength);
            var contentStart = _pos;
            for (var at = s.IndexOf("</", _pos, StringComparison.Ordinal); at >= 0; at = s.IndexOf("</", at + 2, StringComparison.Ordinal))
            {
                var after = at + 2 + name.Length;
                if (after >= s.Length) return false;
                if (!s.AsSpan(at + 2, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase) || !(IsHtmlWhitespace(s[after]) || s[after] is '/' or '>')) continue;
                if (script && s.AsSpan(contentStart, at - contentStart).Contains("<!--", StringComparison.Ordinal)) return false;
                _pos = at;
                return ReadTag(out _);
            }

            return false;
        }

        private bool ClassHasEtf(in TagToken token, out bool isEtf)
        {
            isEtf = false;
            if (token.ClassStart < 0) return true;
            var value = s.AsSpan(token.ClassStart, token.ClassLength);
            foreach (var c in value)
            {
                if (c == '&' || (c > '\u007E') || (c < ' ' && !IsHtmlWhitespace(c))) return false;
            }

            foreach (var range in value.SplitAny(" \t\n\r\f"))
            {
                if (value[range].SequenceEqual("etf")) isEtf = true;
            }

            return true;
        }

        private static int SectionOf(Tag tag) => tag switch
        {
            Tag.Thead => FarsideTables.Thead,
            Tag.Tfoot => FarsideTables.Tfoot,
            _ => FarsideTables.Tbody,
        };

        private static bool IsSection(Tag tag) => tag is Tag.Thead or Tag.Tbody or Tag.Tfoot;
    }
}

package tools

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/abadojack/whatlanggo"
)

// Translator translates text; the translate tool runs on one. Implementations
// are LibreTranslate here, or an LLM wired in by the caller.
type Translator interface {
	// Translate returns text translated from language source to target,
	// both ISO 639-1 codes ("en", "ko"); an empty source asks the
	// translator to detect it. It returns an error wrapping
	// ErrUnsupportedLanguage when it does not handle source or target, and
	// any other error when the service failed.
	Translate(ctx context.Context, text, source, target string) (string, error)
}

// ErrUnsupportedLanguage is returned (wrapped) by a Translator asked for a
// language it does not handle.
var ErrUnsupportedLanguage = errors.New("unsupported language")

// MaxTranslateChars bounds the text of one translate call.
const MaxTranslateChars = 4000

// Translation is the translate tool's result.
type Translation struct {
	Text   string `json:"translated_text"`
	Source string `json:"source"`
	Target string `json:"target"`
	// Detected says that Source was detected rather than given; "auto"
	// means the translator detected it.
	Detected bool `json:"detected"`
}

var languagePattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z]{2,4})?$`)

type translateArgs struct {
	Text   string `json:"text"`
	Target string `json:"target"`
	Source string `json:"source"`
}

func (a *translateArgs) Validate() error {
	if err := checkText("text", &a.Text, MaxTranslateChars, true); err != nil {
		return err
	}
	a.Target = strings.TrimSpace(a.Target)
	if !languagePattern.MatchString(a.Target) {
		return fmt.Errorf("target %q is not a language code; use ISO 639-1 codes such as en, ko, es, ru", truncate(a.Target, 20))
	}
	a.Source = strings.TrimSpace(a.Source)
	if a.Source != "" && !languagePattern.MatchString(a.Source) {
		return fmt.Errorf("source %q is not a language code; use ISO 639-1 codes such as en, ko, es, ru, or omit it", truncate(a.Source, 20))
	}
	return nil
}

var translateArgsSchema = `{
  "type": "object",
  "properties": {
    "text": {"type": "string", "minLength": 1, "maxLength": ` + strconv.Itoa(MaxTranslateChars) + `, "description": "The text to translate."},
    "target": {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z]{2,4})?$", "description": "The language to translate into, as an ISO 639-1 code: en, ko, es, ru…"},
    "source": {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z]{2,4})?$", "description": "The text's language, if known; detected when omitted."}
  },
  "required": ["text", "target"],
  "additionalProperties": false
}`

// DetectLanguage returns the ISO 639-1 code of text's language and whether
// the detection is reliable. Short texts often are not: Spanish and
// Portuguese, or Russian and Bulgarian, need a sentence or two apart.
func DetectLanguage(text string) (string, bool) {
	info := whatlanggo.Detect(text)
	code := info.Lang.Iso6391()
	return code, code != "" && info.IsReliable()
}

// Translate returns the translate tool, running on tr. With no translator
// (tr nil) it answers unavailable.
func Translate(tr Translator) Tool {
	return New("translate",
		"Translate a text of up to 4000 characters into another language, e.g. a customer's message for the seller or a reply for "+
			"the customer. Give the target language as an ISO 639-1 code (en, ko, es, ru…); the source language is detected when "+
			"omitted. Errors: unavailable (no translation service is configured or it is not responding: write the translation "+
			"yourself if you can, or carry on in the original language), invalid_argument (e.g. a language the service does not support).",
		translateArgsSchema, []Role{RoleBuyer, RoleSeller},
		func(ctx context.Context, a translateArgs) (Result, error) {
			if tr == nil {
				return Result{}, Errorf(CodeUnavailable, "translation is not available: no translation service is configured")
			}
			out := Translation{Source: a.Source, Target: a.Target}
			if out.Source == "" {
				out.Detected = true
				if code, ok := DetectLanguage(a.Text); ok {
					out.Source = code
				}
			}
			if out.Source == out.Target {
				out.Text = a.Text
				return Result{Data: out, Text: out.Text}, nil
			}
			text, err := tr.Translate(ctx, a.Text, out.Source, out.Target)
			switch {
			case errors.Is(err, ErrUnsupportedLanguage):
				return Result{}, &Error{Code: CodeInvalidArgument,
					Message: fmt.Sprintf("the translation service cannot translate %s into %s", orAuto(out.Source), out.Target), Err: err}
			case err != nil && ctx.Err() != nil:
				return Result{}, fmt.Errorf("translate: %w", ctx.Err())
			case err != nil:
				return Result{}, &Error{Code: CodeUnavailable, Message: "the translation service is not responding; please try again later", Err: err}
			}
			if out.Source == "" {
				out.Source = "auto"
			}
			out.Text = text
			return Result{Data: out, Text: text}, nil
		})
}

func orAuto(lang string) string {
	if lang == "" {
		return "the detected language"
	}
	return lang
}

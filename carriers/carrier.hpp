#pragma once

// The carrier abstraction (callbacks in, polling out) arrives with the carriers issue (#7).

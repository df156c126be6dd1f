#ifndef _INCLUDED_scrutable_input_codeobject
#define _INCLUDED_scrutable_input_codeobject

void _run_scrutable_input_codeobject();


#endif

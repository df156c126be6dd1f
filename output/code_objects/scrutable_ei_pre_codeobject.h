#ifndef _INCLUDED_scrutable_ei_pre_codeobject
#define _INCLUDED_scrutable_ei_pre_codeobject

void _run_scrutable_ei_pre_codeobject();

void _debugmsg_scrutable_ei_pre_codeobject();

#endif
